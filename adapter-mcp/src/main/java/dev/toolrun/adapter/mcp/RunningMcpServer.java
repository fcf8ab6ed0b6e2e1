package dev.toolrun.adapter.mcp;

import dev.toolrun.adapter.mcp.call.TaskRequests;
import dev.toolrun.adapter.mcp.call.ToolCalls;
import dev.toolrun.adapter.mcp.catalog.CatalogSync;
import dev.toolrun.adapter.mcp.resource.InstanceResources;
import dev.toolrun.adapter.mcp.secret.ServerSecrets;
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
import java.time.Duration;
import java.util.function.Function;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The MCP SDK's server over toolrun's Streamable HTTP transport, filled with the catalog and kept
 * in step with it, with the sweeper of idle sessions: what {@link McpEndpoint} builds once, off a
 * start's critical path (the SDK, Reactor and the SDK's JSON-schema validator are some 1,000
 * classes to load).
 */
final class RunningMcpServer implements AutoCloseable {
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration SESSION_SWEEP_INTERVAL = Duration.ofMinutes(1);

  final VertxStreamableServerTransportProvider transport;
  private final McpAsyncServer server;
  private final CatalogSync catalog;
  private final Disposable sweeper;

  /** The use cases the MCP server calls. */
  record UseCases(
      ListToolsUseCase listTools,
      GetToolUseCase getTool,
      LaunchInstanceUseCase launch,
      GetInstanceUseCase getInstance,
      ListInstancesUseCase listInstances,
      CancelInstanceUseCase cancel,
      GetInstanceLogsUseCase logs) {}

  /**
   * Builds the server, lists the catalog's tools into it and starts following the catalog and
   * sweeping idle sessions; may block (the catalog's first listing).
   *
   * @param environment where {@code env:} secret references are looked up
   */
  static RunningMcpServer start(
      McpConfig config, Function<String, String> environment, UseCases useCases) {
    return new RunningMcpServer(config, environment, useCases);
  }

  private RunningMcpServer(
      McpConfig config, Function<String, String> environment, UseCases useCases) {
    McpJsonMapper json = new JacksonMcpJsonMapper(JsonMapper.builder().build());
    // Use cases may block (the Kubernetes adapters call the API server): they run on Reactor's
    // shared scheduler for blocking work, never on an event loop.
    Scheduler blocking = Schedulers.boundedElastic();
    ToolCalls calls =
        new ToolCalls(
            useCases.launch(),
            useCases.getInstance(),
            useCases.cancel(),
            useCases.logs(),
            new ServerSecrets(config.secrets(), environment),
            json,
            config.callPollInterval(),
            blocking);
    TaskRequests tasks =
        new TaskRequests(
            calls,
            useCases.getTool(),
            useCases.getInstance(),
            useCases.listInstances(),
            useCases.cancel(),
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
            .resourceTemplates(
                new InstanceResources(useCases.getInstance(), useCases.logs(), json, blocking)
                    .templates())
            .jsonMapper(json)
            // A call's arguments are checked by the launch use case against the tool's input
            // schema, as on every other door, and refused with a JSON-RPC error listing every
            // violation; the SDK's own check would answer first, with a text of its own.
            .validateToolInputs(false)
            .build();
    this.catalog =
        new CatalogSync(useCases.listTools(), calls, config.catalogPollInterval(), blocking);
    try {
      catalog.start(server);
    } catch (RuntimeException e) {
      server.closeGracefully().block(CLOSE_TIMEOUT);
      throw e;
    }
    this.sweeper =
        Flux.interval(SESSION_SWEEP_INTERVAL, blocking)
            .onBackpressureDrop()
            .subscribe(tick -> transport.evictIdle(McpEndpoint.SESSION_IDLE_TIMEOUT));
  }

  /** Ends every session and stops following the catalog and sweeping. */
  @Override
  public void close() {
    sweeper.dispose();
    catalog.close();
    server.closeGracefully().block(CLOSE_TIMEOUT);
  }

  private static String version() {
    String version = McpEndpoint.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
