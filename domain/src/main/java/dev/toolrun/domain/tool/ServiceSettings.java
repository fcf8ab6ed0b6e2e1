package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violations;
import java.time.Duration;

/**
 * How toolrun talks to, watches and protects a {@link ToolMode#SERVICE} instance.
 *
 * @param port the container port the service listens on
 * @param healthPath the HTTP path answered with 2xx while the service is healthy
 * @param healthInterval time between two health checks
 * @param failureThreshold consecutive failed checks after which the instance is unhealthy
 * @param maxConcurrentRequests requests in flight at once; more wait, then get "too many requests"
 * @param requestTimeout how long one forwarded request may take
 * @param startTimeout how long the instance may take from start to its first healthy check
 * @param onUnhealthy restart or fail an unhealthy instance
 * @param maxRestarts restarts allowed before an unhealthy instance fails for good
 * @param networkIsolation admit traffic to the instance only from toolrun (a NetworkPolicy)
 */
public record ServiceSettings(
    int port,
    Protocol protocol,
    String healthPath,
    Duration healthInterval,
    int failureThreshold,
    int maxConcurrentRequests,
    Duration requestTimeout,
    Duration startTimeout,
    UnhealthyAction onUnhealthy,
    int maxRestarts,
    boolean networkIsolation) {

  public static final String DEFAULT_HEALTH_PATH = "/health";
  public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofSeconds(10);
  public static final int DEFAULT_FAILURE_THRESHOLD = 3;
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 10;
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMillis(30_000);
  public static final Duration DEFAULT_START_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_RESTARTS = 3;

  public ServiceSettings {
    requireNonNull(protocol, "protocol is null");
    requireNonNull(healthPath, "healthPath is null");
    requireNonNull(healthInterval, "healthInterval is null");
    requireNonNull(requestTimeout, "requestTimeout is null");
    requireNonNull(startTimeout, "startTimeout is null");
    requireNonNull(onUnhealthy, "onUnhealthy is null");
    var violations = new Violations();
    violations.check(port < 1 || port > 65535, "port", "must be between 1 and 65535");
    violations.check(
        !healthPath.startsWith("/")
            || healthPath.length() > 1024
            || healthPath.chars().anyMatch(c -> c <= ' ' || c == 127),
        "healthPath",
        "must be an absolute path such as /health, without spaces");
    violations.check(
        healthInterval.compareTo(Duration.ofMillis(100)) < 0
            || healthInterval.compareTo(Duration.ofHours(1)) > 0,
        "healthIntervalMs",
        "must be between 100 ms and 1 hour");
    violations.check(
        failureThreshold < 1 || failureThreshold > 100,
        "failureThreshold",
        "must be between 1 and 100");
    violations.check(
        maxConcurrentRequests < 1 || maxConcurrentRequests > 10_000,
        "maxConcurrentRequests",
        "must be between 1 and 10000");
    violations.check(
        requestTimeout.compareTo(Duration.ofMillis(1)) < 0
            || requestTimeout.compareTo(Duration.ofHours(1)) > 0,
        "requestTimeoutMs",
        "must be between 1 ms and 1 hour");
    violations.check(
        startTimeout.compareTo(Duration.ofSeconds(1)) < 0
            || startTimeout.compareTo(Duration.ofHours(24)) > 0,
        "startTimeoutSeconds",
        "must be between 1 second and 24 hours");
    violations.check(
        maxRestarts < 0 || maxRestarts > 100, "maxRestarts", "must be between 0 and 100");
    violations.throwIfAny();
  }

  /** An HTTP service on {@code port} with every other setting at its default. */
  public static ServiceSettings http(int port) {
    return new ServiceSettings(
        port,
        Protocol.HTTP,
        DEFAULT_HEALTH_PATH,
        DEFAULT_HEALTH_INTERVAL,
        DEFAULT_FAILURE_THRESHOLD,
        DEFAULT_MAX_CONCURRENT_REQUESTS,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_START_TIMEOUT,
        UnhealthyAction.RESTART,
        DEFAULT_MAX_RESTARTS,
        false);
  }
}
