package dev.toolrun.app;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.HttpApi;
import dev.toolrun.adapter.mcp.McpEndpoint;
import dev.toolrun.application.Toolrun;
import io.vertx.core.Vertx;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Owns the running service, as one {@link Lifecycle} in this order: Vert.x, the log store, the
 * core's executor, the runtime adapter (the one object that owns its runtime, repositories and
 * connection), the core, which connects the runtime when it starts, the MCP endpoint, and last the
 * HTTP API, so that no request is answered before the runtime is ready. It stops in the reverse
 * order: the API stops taking requests first; the log store closes once nothing writes to it any
 * more (the runtime that follows runs, the core's executor that sweeps logs away), and Vert.x
 * closes last.
 */
final class ToolrunServer {
  private static final long EXECUTOR_GRACE_SECONDS = 5;

  private final Lifecycle lifecycle;
  private volatile int port = -1;

  /**
   * @param logStore closes the log store's open files (syncing them); does nothing for one that
   *     holds none
   * @param runtimeAdapter closes everything the runtime adapter opened (its runtime, its
   *     repositories, its cluster connection), in its own order
   */
  ToolrunServer(
      Vertx vertx,
      AutoCloseable logStore,
      ScheduledExecutorService coreExecutor,
      AutoCloseable runtimeAdapter,
      Toolrun application,
      McpEndpoint mcp,
      HttpApi api) {
    requireNonNull(vertx, "vertx is null");
    requireNonNull(logStore, "logStore is null");
    requireNonNull(coreExecutor, "coreExecutor is null");
    requireNonNull(runtimeAdapter, "runtimeAdapter is null");
    requireNonNull(application, "application is null");
    requireNonNull(mcp, "mcp is null");
    requireNonNull(api, "api is null");
    this.lifecycle =
        Lifecycle.builder()
            .add("Vert.x", () -> vertx.close().await())
            .add("the log store", logStore)
            .add("the core's executor", () -> shutDown(coreExecutor))
            .add("the runtime adapter", runtimeAdapter)
            // Given the executor above, the core closes nothing of its own; closing it is still its
            // owner's part.
            .add("the application core", application::start, application)
            .add("the MCP endpoint", mcp::start, mcp)
            .add("the HTTP API", () -> port = api.start(), api::stop)
            .build();
  }

  /** Starts everything; returns the port the API listens on. */
  int start() {
    lifecycle.start();
    return port;
  }

  /** Stops everything, the API first; idempotent. */
  void stop() {
    lifecycle.stop();
  }

  private static void shutDown(ScheduledExecutorService executor) throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(EXECUTOR_GRACE_SECONDS, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
  }
}
