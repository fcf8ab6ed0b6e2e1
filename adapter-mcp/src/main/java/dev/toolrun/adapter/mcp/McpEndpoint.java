package dev.toolrun.adapter.mcp;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.toolrun.adapter.mcp.transport.BearerTokenGate;
import dev.toolrun.adapter.mcp.transport.VertxStreamableServerTransportProvider;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.GetToolUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.ListInstancesUseCase;
import dev.toolrun.ports.in.ListToolsUseCase;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * toolrun's tool catalog as a Model Context Protocol server, over Streamable HTTP: every TASK tool
 * is an MCP tool, a call runs as an instance (waited for, or as an MCP task to fetch later), and
 * instances are readable as resources.
 *
 * <p>This is the adapter's face without Guice. {@link #router()} is the endpoint, to mount at
 * {@value #PATH} on the HTTP server that serves the REST API ({@code router.route("/mcp/*")
 * .subRouter(endpoint.router())}); it authenticates and reads bodies itself. {@link #close()} ends
 * the sessions and stops following the catalog. Runs started by calls are not touched by either.
 *
 * <p>The MCP server behind the routes (the SDK's server, filled with the catalog and kept in step
 * with it) is built once, on a thread of its own: when {@link #start()} is called, or at the first
 * request, whichever comes first; a request that comes while it is being built waits for it. The
 * SDK, Reactor and the SDK's JSON-schema validator are some 1,000 classes, a fifth of a second or
 * more of a start on two cores (docs/benchmarks.md, figure 6), which toolrun's readiness need not
 * wait for: the app calls {@link #start()} once its HTTP API listens. Nothing a user configures is
 * checked only there: {@link McpConfig} checks the settings when it is made, before this is.
 */
public final class McpEndpoint implements AutoCloseable {
  /** Where the endpoint is mounted. */
  public static final String PATH = "/mcp";

  private static final Logger LOG = System.getLogger(McpEndpoint.class.getName());

  /** A session with no open stream and no request for this long is ended (as the SDK's servlet). */
  static final Duration SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);

  private final McpConfig config;
  private final Function<String, String> environment;
  private final RunningMcpServer.UseCases useCases;
  private final Router router;

  /** The server, built or being built; null before the first build and after a failed one. */
  private CompletableFuture<RunningMcpServer> server;

  private boolean started;
  private boolean closed;

  /** The endpoint; secrets configured as {@code env:} references are read from the process. */
  @Inject
  public McpEndpoint(
      Vertx vertx,
      McpConfig config,
      ListToolsUseCase listTools,
      GetToolUseCase getTool,
      LaunchInstanceUseCase launch,
      GetInstanceUseCase getInstance,
      ListInstancesUseCase listInstances,
      CancelInstanceUseCase cancel,
      GetInstanceLogsUseCase logs) {
    this(
        vertx,
        config,
        System::getenv,
        listTools,
        getTool,
        launch,
        getInstance,
        listInstances,
        cancel,
        logs);
  }

  /**
   * @param environment where {@code env:} secret references are looked up
   */
  McpEndpoint(
      Vertx vertx,
      McpConfig config,
      Function<String, String> environment,
      ListToolsUseCase listTools,
      GetToolUseCase getTool,
      LaunchInstanceUseCase launch,
      GetInstanceUseCase getInstance,
      ListInstancesUseCase listInstances,
      CancelInstanceUseCase cancel,
      GetInstanceLogsUseCase logs) {
    requireNonNull(vertx, "vertx is null");
    this.config = requireNonNull(config, "config is null");
    this.environment = requireNonNull(environment, "environment is null");
    this.useCases =
        new RunningMcpServer.UseCases(
            requireNonNull(listTools, "listTools is null"),
            requireNonNull(getTool, "getTool is null"),
            requireNonNull(launch, "launch is null"),
            requireNonNull(getInstance, "getInstance is null"),
            requireNonNull(listInstances, "listInstances is null"),
            requireNonNull(cancel, "cancel is null"),
            requireNonNull(logs, "logs is null"));
    this.router = Router.router(vertx);
    router.route().handler(new BearerTokenGate(config.bearerToken()));
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    router.post().handler(rc -> serve(rc, VertxStreamableServerTransportProvider::post));
    router.get().handler(rc -> serve(rc, VertxStreamableServerTransportProvider::get));
    router.delete().handler(rc -> serve(rc, VertxStreamableServerTransportProvider::delete));
  }

  /** The endpoint's routes, to mount at {@value #PATH}. */
  public Router router() {
    return router;
  }

  /**
   * Builds the MCP server in the background (the SDK's server, filled with the catalog's tools and
   * following the catalog), so that the first request does not wait for it; call once.
   */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("the MCP endpoint is already started");
    }
    started = true;
    server();
  }

  /** Ends the sessions idle for longer than {@code idle}; the sweeper does it every minute. */
  int evictIdleSessions(Duration idle) {
    RunningMcpServer running = built();
    return running == null ? 0 : running.transport.evictIdle(idle);
  }

  /** How many MCP sessions are open. */
  public int sessionCount() {
    RunningMcpServer running = built();
    return running == null ? 0 : running.transport.sessionCount();
  }

  /**
   * Ends every session and stops following the catalog; idempotent. A server still being built is
   * waited for, then closed; none is built after this.
   */
  @Override
  public void close() {
    CompletableFuture<RunningMcpServer> closing;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      closing = server;
    }
    if (closing == null) {
      return;
    }
    RunningMcpServer running;
    try {
      running = closing.join();
    } catch (CompletionException failedToBuild) {
      return; // nothing was opened
    }
    running.close();
  }

  /** Hands {@code rc} to the server's transport, once the server is built. */
  private void serve(
      RoutingContext rc,
      BiConsumer<VertxStreamableServerTransportProvider, RoutingContext> handle) {
    CompletableFuture<RunningMcpServer> running;
    try {
      running = server();
    } catch (IllegalStateException shuttingDown) {
      refuse(rc, "the server is shutting down");
      return;
    }
    if (running.isDone() && !running.isCompletedExceptionally()) {
      handle.accept(running.join().transport, rc);
      return;
    }
    // Built on a thread of its own: back to this request's event loop to handle it.
    Context context = Vertx.currentContext();
    running.whenComplete(
        (built, failure) ->
            context.runOnContext(
                ignored -> {
                  if (failure == null) {
                    handle.accept(built.transport, rc);
                  } else {
                    refuse(rc, "the MCP server could not start: " + rootMessage(failure));
                  }
                }));
  }

  /**
   * The server, built or being built; starts building it when no build is under way (the first
   * time, or after a build failed).
   *
   * @throws IllegalStateException once the endpoint is closed
   */
  private synchronized CompletableFuture<RunningMcpServer> server() {
    if (closed) {
      throw new IllegalStateException("the MCP endpoint is closed");
    }
    if (server == null) {
      CompletableFuture<RunningMcpServer> building = new CompletableFuture<>();
      server = building;
      Thread builder = new Thread(() -> build(building), "toolrun-mcp-start");
      // A start that is abandoned (toolrun exits at once) must not be held up by it.
      builder.setDaemon(true);
      builder.start();
    }
    return server;
  }

  private void build(CompletableFuture<RunningMcpServer> building) {
    RunningMcpServer running;
    try {
      running = RunningMcpServer.start(config, environment, useCases);
    } catch (RuntimeException | Error e) {
      // Errors too (a class that fails to load): uncaught, they would leave waiting requests
      // waiting for ever.
      LOG.log(
          Level.ERROR, "the MCP server could not start; the next request to /mcp tries again", e);
      synchronized (this) {
        if (server == building) {
          server = null;
        }
      }
      building.completeExceptionally(e);
      return;
    }
    building.complete(running);
  }

  /** The server if it is built, else null. */
  private synchronized RunningMcpServer built() {
    return server != null && server.isDone() && !server.isCompletedExceptionally()
        ? server.join()
        : null;
  }

  private static String rootMessage(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }

  /**
   * A 503 in the JSON-RPC error shape the transport answers with, written with Vert.x's JSON: the
   * SDK's mapper may be what failed to build (its error code is a constant, compiled in).
   */
  private static void refuse(RoutingContext rc, String message) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    JsonObject error =
        new JsonObject().put("code", McpSchema.ErrorCodes.INTERNAL_ERROR).put("message", message);
    rc.response()
        .setStatusCode(503)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(new JsonObject().put("jsonrpc", "2.0").putNull("id").put("error", error).encode());
  }
}
