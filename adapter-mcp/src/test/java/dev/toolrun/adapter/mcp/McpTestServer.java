package dev.toolrun.adapter.mcp;

import dev.toolrun.adapter.inmemory.InMemoryInstanceRepository;
import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryToolRepository;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.adapter.jsonschema.NetworkntSchemaValidator;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.Toolrun;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.http.HttpRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * The MCP endpoint on a real HTTP server on a free port, mounted at /mcp as the app mounts it, over
 * the application wired by hand with the in-memory adapters; and the SDK's own client. The endpoint
 * can be restarted over the same application and records, as a restarted adapter would be.
 */
final class McpTestServer implements AutoCloseable {
  static final String TOKEN = "mcp-test-token-0123456789";

  /** Each step of a scripted run takes this long, so a call passes through visible states. */
  static final Duration STEP = Duration.ofMillis(60);

  /** Open event streams get a comment this often. */
  static final Duration KEEP_ALIVE = Duration.ofMillis(100);

  /** Clients are told to poll tasks this often. */
  static final Duration TASK_POLL = Duration.ofMillis(50);

  /** How long tasks are said to be kept. */
  static final Duration TASK_TTL = Duration.ofHours(2);

  final Vertx vertx;
  final InMemoryWorkloadRuntime runtime;
  final RecordingRuntime launches;
  final Toolrun application;
  private final McpConfig config;
  private final Map<String, String> environment;
  private final ScheduledExecutorService executor;
  McpEndpoint endpoint;
  String base;
  private HttpServer server;

  McpTestServer() {
    this(ToolSecrets.NONE, Map.of());
  }

  /**
   * A server whose MCP calls get secrets from {@code secrets}, looked up in {@code environment}.
   */
  McpTestServer(ToolSecrets secrets, Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    vertx = Vertx.vertx();
    executor = Executors.newScheduledThreadPool(2);
    InMemoryLogStore logs = new InMemoryLogStore();
    runtime =
        new InMemoryWorkloadRuntime(
            logs, new InMemoryRuntimeConfig(STEP, Duration.ofMinutes(5)), Clock.systemUTC());
    launches = new RecordingRuntime(runtime);
    application =
        Toolrun.builder()
            .tools(new InMemoryToolRepository())
            .instances(new InMemoryInstanceRepository())
            .logs(logs)
            .runtime(launches)
            .schemas(NetworkntSchemaValidator.create())
            .capacity(Capacity.DEFAULT)
            .executor(executor)
            .clock(Clock.systemUTC())
            .random(new SecureRandom())
            .build();
    application.start();
    config =
        McpConfig.bearer(TOKEN)
            .withPollIntervals(Duration.ofMillis(20), Duration.ofMillis(200))
            .withKeepAliveInterval(KEEP_ALIVE)
            .withTasks(TASK_POLL, TASK_TTL)
            .withSecrets(secrets);
    startEndpoint();
  }

  private void startEndpoint() {
    endpoint =
        new McpEndpoint(
            vertx,
            config,
            environment::get,
            application.listTools(),
            application.getTool(),
            application.launchInstance(),
            application.getInstance(),
            application.listInstances(),
            application.cancelInstance(),
            application.getInstanceLogs());
    endpoint.start();
    Router root = Router.router(vertx);
    root.route(McpEndpoint.PATH + "/*").subRouter(endpoint.router());
    server = vertx.createHttpServer().requestHandler(root).listen(0, "127.0.0.1").await();
    base = "http://127.0.0.1:" + server.actualPort();
  }

  /**
   * Closes the endpoint and its HTTP server, then starts a new endpoint on a new port over the same
   * application: what a restarted toolrun does over records that survived it.
   */
  void restartEndpoint() {
    endpoint.close();
    server.close().await();
    startEndpoint();
  }

  /** Registers a TASK tool running {@code image}; returns its latest version. */
  Tool register(String name, String description, UnaryOperator<ToolSpec.Builder> spec) {
    return application
        .registerTool()
        .register(
            new RegisterToolCommand(
                new ToolName(name),
                description,
                spec.apply(ToolSpec.task(ContainerImage.of("example/" + name + ":1"))).build()))
        .tool();
  }

  /** The SDK's streamable HTTP client transport with {@code token}, unconnected. */
  HttpClientStreamableHttpTransport transport(String token) {
    return HttpClientStreamableHttpTransport.builder(base)
        .endpoint(McpEndpoint.PATH)
        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
        .build();
  }

  /** An initialized SDK client with the right token over {@code transport}. */
  McpSyncClient client(McpClientTransport transport, Consumer<McpClient.SyncSpec> spec) {
    McpClient.SyncSpec builder = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(30));
    spec.accept(builder);
    McpSyncClient client = builder.build();
    client.initialize();
    return client;
  }

  McpSyncClient client() {
    return client(transport(TOKEN), spec -> {});
  }

  @Override
  public void close() {
    endpoint.close();
    server.close().await();
    runtime.close();
    executor.shutdownNow();
    vertx.close().await();
  }
}
