package dev.toolrun.application;

import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.UnhealthyAction;
import java.time.Duration;

/**
 * Service settings that keep the use-case tests quick: checks every 100 ms (the least a tool may
 * ask for), two failures make an instance unhealthy. Each test changes what it is about.
 */
final class FastServiceSettings {
  static final int PORT = 8080;
  static final Duration HEALTH_INTERVAL = Duration.ofMillis(100);

  private int failureThreshold = 2;
  private int maxConcurrentRequests = 4;
  private Duration requestTimeout = Duration.ofSeconds(5);
  private Duration startTimeout = Duration.ofSeconds(30);
  private UnhealthyAction onUnhealthy = UnhealthyAction.RESTART;
  private int maxRestarts = 2;

  static FastServiceSettings settings() {
    return new FastServiceSettings();
  }

  FastServiceSettings failureThreshold(int failureThreshold) {
    this.failureThreshold = failureThreshold;
    return this;
  }

  FastServiceSettings maxConcurrentRequests(int maxConcurrentRequests) {
    this.maxConcurrentRequests = maxConcurrentRequests;
    return this;
  }

  FastServiceSettings requestTimeout(Duration requestTimeout) {
    this.requestTimeout = requestTimeout;
    return this;
  }

  FastServiceSettings startTimeout(Duration startTimeout) {
    this.startTimeout = startTimeout;
    return this;
  }

  FastServiceSettings onUnhealthy(UnhealthyAction onUnhealthy) {
    this.onUnhealthy = onUnhealthy;
    return this;
  }

  FastServiceSettings maxRestarts(int maxRestarts) {
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
