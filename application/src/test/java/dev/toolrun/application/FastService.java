package dev.toolrun.application;

import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.UnhealthyAction;
import java.time.Duration;

/**
 * Service settings that keep the use-case tests quick: checks every 100 ms (the least a tool may
 * ask for), two failures make an instance unhealthy. Each test changes what it is about.
 */
final class FastService {
  static final int PORT = 8080;
  static final Duration HEALTH_INTERVAL = Duration.ofMillis(100);

  private int failureThreshold = 2;
  private int maxConcurrentRequests = 4;
  private Duration requestTimeout = Duration.ofSeconds(5);
  private Duration startTimeout = Duration.ofSeconds(30);
  private UnhealthyAction onUnhealthy = UnhealthyAction.RESTART;
  private int maxRestarts = 2;

  static FastService settings() {
    return new FastService();
  }

  FastService failureThreshold(int failureThreshold) {
    this.failureThreshold = failureThreshold;
    return this;
  }

  FastService maxConcurrentRequests(int maxConcurrentRequests) {
    this.maxConcurrentRequests = maxConcurrentRequests;
    return this;
  }

  FastService requestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
    return this;
  }

  FastService startTimeout(Duration startTimeout) {
    this.startTimeout = startTimeout;
    return this;
  }

  FastService onUnhealthy(UnhealthyAction onUnhealthy) {
    this.onUnhealthy = onUnhealthy;
    return this;
  }

  FastService maxRestarts(int maxRestarts) {
    this.maxRestarts = maxRestarts;
    return this;
  }

  ServiceSettings build() {
    return new ServiceSettings(
        PORT,
        Protocol.HTTP,
        ServiceSettings.DEFAULT_HEALTH_PATH,
        HEALTH_INTERVAL,
        failureThreshold,
        maxConcurrentRequests,
        requestTimeout,
        startTimeout,
        onUnhealthy,
        maxRestarts,
        false);
  }
}
