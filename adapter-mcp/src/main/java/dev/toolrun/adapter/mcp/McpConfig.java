package dev.toolrun.adapter.mcp;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * How the MCP endpoint protects itself and how closely it follows toolrun.
 *
 * @param bearerToken the token every request must carry, the same as the REST API's; empty only
 *     when the REST API is anonymous too (local use)
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param callPollInterval how often a tool call reads its instance while it runs (no port notifies
 *     state changes)
 * @param catalogPollInterval how often the tool catalog is compared with what MCP clients were
 *     shown; a change reaches them within this interval (no port notifies catalog changes)
 * @param keepAliveInterval how often an open event stream with nothing to send gets an SSE comment,
 *     so a long run's answer stream is not cut as idle
 * @param taskPollInterval how often an MCP task's client is told to poll ({@code pollInterval})
 * @param taskTtl how long an MCP task is kept from its creation ({@code ttl}): the retention of
 *     instance records, which are the tasks
 * @param secrets the secret inputs MCP calls get from the server, never from the model
 */
public record McpConfig(
    Optional<String> bearerToken,
    long maxBodyBytes,
    Duration callPollInterval,
    Duration catalogPollInterval,
    Duration keepAliveInterval,
    Duration taskPollInterval,
    Duration taskTtl,
    ToolSecrets secrets) {
  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  /**
   * A read of an instance is a look into toolrun's memory (the repositories are caches), so ten a
   * second per running call cost little and answer a call at most 100 ms after its run's end.
   */
  public static final Duration DEFAULT_CALL_POLL_INTERVAL = Duration.ofMillis(100);

  public static final Duration DEFAULT_CATALOG_POLL_INTERVAL = Duration.ofMillis(500);
  public static final Duration DEFAULT_KEEP_ALIVE_INTERVAL = Duration.ofSeconds(25);
  public static final Duration DEFAULT_TASK_POLL_INTERVAL = Duration.ofSeconds(1);

  /** The application's default retention of ended instances' records. */
  public static final Duration DEFAULT_TASK_TTL = Duration.ofDays(7);

  public McpConfig {
    requireNonNull(bearerToken, "bearerToken is null");
    requireNonNull(callPollInterval, "callPollInterval is null");
    requireNonNull(catalogPollInterval, "catalogPollInterval is null");
    requireNonNull(keepAliveInterval, "keepAliveInterval is null");
    requireNonNull(taskPollInterval, "taskPollInterval is null");
    requireNonNull(taskTtl, "taskTtl is null");
    requireNonNull(secrets, "secrets is null");
    bearerToken.ifPresent(
        token -> {
          if (token.isBlank()) {
            throw new IllegalArgumentException("the bearer token must not be blank");
          }
        });
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1, was " + maxBodyBytes);
    }
    if (!isPositive(callPollInterval)
        || !isPositive(catalogPollInterval)
        || !isPositive(keepAliveInterval)
        || !isPositive(taskPollInterval)
        || !isPositive(taskTtl)) {
      throw new IllegalArgumentException(
          "the poll and keep-alive intervals and the task ttl must be positive");
    }
  }

  private static boolean isPositive(Duration d) {
    return !d.isNegative() && !d.isZero();
  }

  /** Requests must carry {@code token}; everything else at its default. */
  public static McpConfig bearer(String token) {
    return new McpConfig(
        Optional.of(requireNonNull(token, "token is null")),
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_CALL_POLL_INTERVAL,
        DEFAULT_CATALOG_POLL_INTERVAL,
        DEFAULT_KEEP_ALIVE_INTERVAL,
        DEFAULT_TASK_POLL_INTERVAL,
        DEFAULT_TASK_TTL,
        ToolSecrets.NONE);
  }

  /** No authentication, as when the REST API is configured anonymous; for local use only. */
  public static McpConfig anonymous() {
    return new McpConfig(
        Optional.empty(),
        DEFAULT_MAX_BODY_BYTES,
        DEFAULT_CALL_POLL_INTERVAL,
        DEFAULT_CATALOG_POLL_INTERVAL,
        DEFAULT_KEEP_ALIVE_INTERVAL,
        DEFAULT_TASK_POLL_INTERVAL,
        DEFAULT_TASK_TTL,
        ToolSecrets.NONE);
  }

  /** This configuration with other poll intervals. */
  public McpConfig withPollIntervals(Duration call, Duration catalog) {
    return new McpConfig(
        bearerToken,
        maxBodyBytes,
        call,
        catalog,
        keepAliveInterval,
        taskPollInterval,
        taskTtl,
        secrets);
  }

  /** This configuration with another keep-alive interval. */
  public McpConfig withKeepAliveInterval(Duration keepAlive) {
    return new McpConfig(
        bearerToken,
        maxBodyBytes,
        callPollInterval,
        catalogPollInterval,
        keepAlive,
        taskPollInterval,
        taskTtl,
        secrets);
  }

  /** This configuration with another task poll interval and ttl. */
  public McpConfig withTasks(Duration pollInterval, Duration ttl) {
    return new McpConfig(
        bearerToken,
        maxBodyBytes,
        callPollInterval,
        catalogPollInterval,
        keepAliveInterval,
        pollInterval,
        ttl,
        secrets);
  }

  /** This configuration with other server-side secrets. */
  public McpConfig withSecrets(ToolSecrets secrets) {
    return new McpConfig(
        bearerToken,
        maxBodyBytes,
        callPollInterval,
        catalogPollInterval,
        keepAliveInterval,
        taskPollInterval,
        taskTtl,
        secrets);
  }

  // The token is a credential: it must not end up in a log through the generated toString.
  @Override
  public String toString() {
    return ("McpConfig[bearerToken=%s, maxBodyBytes=%d, callPollInterval=%s,"
            + " catalogPollInterval=%s, keepAliveInterval=%s, taskPollInterval=%s, taskTtl=%s,"
            + " secrets=%s]")
        .formatted(
            bearerToken.isPresent() ? "***" : "none",
            maxBodyBytes,
            callPollInterval,
            catalogPollInterval,
            keepAliveInterval,
            taskPollInterval,
            taskTtl,
            secrets);
  }
}
