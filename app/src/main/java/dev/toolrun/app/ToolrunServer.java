package dev.toolrun.app;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.HttpApi;
import dev.toolrun.adapter.mcp.McpEndpoint;
import dev.toolrun.application.Application;
import java.util.List;
import java.util.Set;
import io.vertx.core.Vertx;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Owns the running service: starts the core (which connects the runtime) before the HTTP API, so
 * no request is answered before the runtime is ready, and stops in the reverse order.
 */
final class ToolrunServer {
  private static final Logger LOG = System.getLogger(ToolrunServer.class.getName());

  private final Application application;
  private final HttpApi api;
  private final McpEndpoint mcp;
  private final List<AutoCloseable> resources;
  private final ScheduledExecutorService coreExecutor;
  private final Vertx vertx;
  private boolean stopped;

  ToolrunServer(
      Application application,
      HttpApi api,
      McpEndpoint mcp,
      Set<AutoCloseable> resources,
      ScheduledExecutorService coreExecutor,
      Vertx vertx) {
    this.application = requireNonNull(application, "application is null");
    this.api = requireNonNull(api, "api is null");
    this.mcp = requireNonNull(mcp, "mcp is null");
    this.resources = List.copyOf(requireNonNull(resources, "resources is null"));
    this.coreExecutor = requireNonNull(coreExecutor, "coreExecutor is null");
    this.vertx = requireNonNull(vertx, "vertx is null");
  }

  /** Starts everything; returns the port the API listens on. */
  int start() {
    application.start();
    mcp.start();
    return api.start();
  }

  /**
   * Stops accepting requests, then closes the adapters' resources (runtime, repositories, cluster
   * connection, in their modules' order), the core and Vert.x; idempotent.
   */
  synchronized void stop() {
    if (stopped) {
      return;
    }
    stopped = true;
    api.stop();
    mcp.close();
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing " + resource.getClass().getSimpleName() + " failed", e);
      }
    }
    coreExecutor.shutdown();
    try {
      if (!coreExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
        coreExecutor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    vertx.close().await();
  }
}
