package dev.toolrun.adapter.mcp;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.toolrun.adapter.mcp.call.TaskRequests;
import dev.toolrun.adapter.mcp.call.ToolCalls;
import dev.toolrun.adapter.mcp.catalog.CatalogSync;
import dev.toolrun.adapter.mcp.resource.InstanceResources;
import dev.toolrun.adapter.mcp.secret.ServerSecrets;
import dev.toolrun.adapter.mcp.transport.BearerTokenGate;
import dev.toolrun.adapter.mcp.transport.VertxStreamableServerTransportProvider;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.GetToolUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.ListInstancesUseCase;
import dev.toolrun.ports.in.ListToolsUseCase;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServer;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * toolrun's tool catalog as a Model Context Protocol server, over Streamable HTTP: every TASK tool
 * is an MCP tool, a call runs as an instance (waited for, or as an MCP task to fetch later), and
 * instances are readable as resources.
 *
 * <p>This is the adapter's face without Guice. {@link #router()} is the endpoint, to mount at
 * {@value #PATH} on the HTTP server that serves the REST API ({@code router.route("/mcp/*")
 * .subRouter(endpoint.router())}); it authenticates and reads bodies itself. {@link #start()} fills
 * the server with the catalog and keeps it in step; {@link #close()} ends the sessions and stops
 * following the catalog. Runs started by calls are not touched by either.
 */
public final class McpEndpoint implements AutoCloseable {
  /** Where the endpoint is mounted. */
  public static final String PATH = "/mcp";

  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** A session with no open stream and no request for this long is ended (as the SDK's servlet). */
  static final Duration SESSION_IDLE_TIMEOUT = Duration.ofMinutes(30);

  private static final Duration SESSION_SWEEP_INTERVAL = Duration.ofMinutes(1);

  private final VertxStreamableServerTransportProvider transport;
  private final McpAsyncServer server;
  private final CatalogSync catalog;
  private final Router router;
  private final Scheduler blocking;
  private Disposable sweeper;
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
    requireNonNull(config, "config is null");
    McpJsonMapper json = new JacksonMcpJsonMapper(JsonMapper.builder().build());
    // Use cases may block (the Kubernetes adapters call the API server): they run on Reactor's
    // shared scheduler for blocking work, never on an event loop. It starts its threads on first
    // use, so building the endpoint starts none.
    this.blocking = Schedulers.boundedElastic();
    ToolCalls calls =
        new ToolCalls(
            launch,
            getInstance,
            cancel,
            logs,
            new ServerSecrets(config.secrets(), environment),
            json,
            config.callPollInterval(),
            blocking);
    TaskRequests tasks =
        new TaskRequests(
            calls,
            getTool,
            getInstance,
            listInstances,
            cancel,
            json,
            config.taskPollInterval(),
            config.taskTtl(),
            blocking);
    this.transport =
        new VertxStreamableServerTransportProvider(
            json, calls::cancelled, tasks, config.keepAliveInterval());
    this.server =
        McpServer.async(transport)
            .serverInfo("toolrun", version())
            .instructions(
                "Each tool is a registered toolrun tool; a call runs it as a Kubernetes Job and"
                    + " answers with its result, or, as a task, answers at once and is fetched"
                    + " later (the task id is the instance id). The answer's _meta and resource"
                    + " link name the instance, readable later as toolrun://instances/{id}.")
            .capabilities(
                McpSchema.ServerCapabilities.builder()
                    .tools(true)
                    .resources(false, false)
                    .logging()
                    .build())
            .resourceTemplates(new InstanceResources(getInstance, logs, json, blocking).templates())
            .jsonMapper(json)
            // A call's arguments are checked by the launch use case against the tool's input
            // schema, as on every other door, and refused with a JSON-RPC error listing every
            // violation; the SDK's own check would answer first, with a text of its own.
            .validateToolInputs(false)
            .build();
    this.catalog = new CatalogSync(listTools, calls, config.catalogPollInterval(), blocking);
    this.router = Router.router(vertx);
    router.route().handler(new BearerTokenGate(config.bearerToken()));
    router.route().handler(BodyHandler.create(false).setBodyLimit(config.maxBodyBytes()));
    router.post().handler(transport::post);
    router.get().handler(transport::get);
    router.delete().handler(transport::delete);
  }

  /** The endpoint's routes, to mount at {@value #PATH}. */
  public Router router() {
    return router;
  }

  /** Lists the catalog's tools and starts following it; call once, before serving. */
  public synchronized void start() {
    if (started) {
      throw new IllegalStateException("the MCP endpoint is already started");
    }
    started = true;
    catalog.start(server);
    sweeper =
        Flux.interval(SESSION_SWEEP_INTERVAL, blocking)
            .onBackpressureDrop()
            .subscribe(tick -> transport.evictIdle(SESSION_IDLE_TIMEOUT));
  }

  /** Ends the sessions idle for longer than {@code idle}; the sweeper does it every minute. */
  int evictIdleSessions(Duration idle) {
    return transport.evictIdle(idle);
  }

  /** How many MCP sessions are open. */
  public int sessionCount() {
    return transport.sessionCount();
  }

  /** Ends every session and stops following the catalog; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (sweeper != null) {
      sweeper.dispose();
    }
    catalog.close();
    server.closeGracefully().block(CLOSE_TIMEOUT);
  }

  private static String version() {
    String version = McpEndpoint.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
