package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.routes.HealthRoutes;
import dev.toolrun.adapter.http.routes.InstanceRoutes;
import dev.toolrun.adapter.http.routes.RuntimeRoutes;
import dev.toolrun.adapter.http.routes.ServiceRoutes;
import dev.toolrun.adapter.http.routes.ToolRoutes;
import dev.toolrun.adapter.inmemory.InMemoryInstanceRepository;
import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryToolRepository;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.adapter.jsonschema.NetworkntSchemaValidator;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.LiveLogs;
import dev.toolrun.application.MemoryBudget;
import dev.toolrun.application.Toolrun;
import dev.toolrun.ports.in.ExecuteRequestUseCase;
import dev.toolrun.ports.out.Leadership;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * The real API on an ephemeral port, wired by hand with the in-memory adapters, and a JDK HTTP
 * client speaking to it.
 */
final class TestApi implements AutoCloseable {
  static final String TOKEN = "test-token-0123456789";

  /** Short, so that a test sees the heartbeats of an event stream without waiting long. */
  static final Duration STREAM_HEARTBEAT = Duration.ofMillis(300);

  /**
   * How to set the API up: the defaults, each {@code with} changing one part and answering the same
   * setup, which {@link #start(Setup)} reads once.
   */
  static final class Setup {
    private long maxBodyBytes = HttpConfig.DEFAULT_MAX_BODY_BYTES;
    private Authentication authentication = Authentication.bearer(TOKEN);
    private int maxLogLines = 10_000;
    private Capacity capacity = Capacity.DEFAULT;
    // The Vert.x worker threads, which run the endpoints that call use cases.
    private int workerPoolSize = VertxOptions.DEFAULT_WORKER_POOL_SIZE;
    // What the requests endpoint calls, given the application's own use case.
    private UnaryOperator<ExecuteRequestUseCase> execute = UnaryOperator.identity();
    private ConnectionPolicy connections = ConnectionPolicy.DEFAULT;
    private JsonLimits json = JsonLimits.DEFAULT;
    private MemoryBudget memoryBudget = MemoryBudget.ofThisHeap();
    private HttpMetrics metrics = HttpMetrics.none();
    private Leadership leadership = Leadership.SOLE;

    private Setup() {}

    static Setup defaults() {
      return new Setup();
    }

    Setup withMaxBodyBytes(long bytes) {
      maxBodyBytes = bytes;
      return this;
    }

    Setup withAuthentication(Authentication authentication) {
      this.authentication = requireNonNull(authentication);
      return this;
    }

    Setup withMaxLogLines(int lines) {
      maxLogLines = lines;
      return this;
    }

    Setup withCapacity(Capacity capacity) {
      this.capacity = requireNonNull(capacity);
      return this;
    }

    Setup withWorkerPoolSize(int threads) {
      workerPoolSize = threads;
      return this;
    }

    /** The requests endpoint calls {@code stub} instead of the application. */
    Setup withExecute(ExecuteRequestUseCase stub) {
      requireNonNull(stub);
      execute = real -> stub;
      return this;
    }

    Setup withConnections(ConnectionPolicy connections) {
      this.connections = requireNonNull(connections);
      return this;
    }

    Setup withJsonLimits(JsonLimits json) {
      this.json = requireNonNull(json);
      return this;
    }

    Setup withMemoryBudget(MemoryBudget memoryBudget) {
      this.memoryBudget = requireNonNull(memoryBudget);
      return this;
    }

    /** The core asks {@code leadership} whether it writes (one of several replicas). */
    Setup withLeadership(Leadership leadership) {
      this.leadership = requireNonNull(leadership);
      return this;
    }

    /** {@code /metrics} serves {@code metrics}. */
    Setup withMetrics(HttpMetrics metrics) {
      this.metrics = requireNonNull(metrics);
      return this;
    }
  }

  final Vertx vertx;
  final InMemoryWorkloadRuntime runtime;
  final Toolrun application;

  /** Makes the application's stores fail, for the answers to a cluster that is away. */
  final StoreOutage outage = new StoreOutage();

  private final ScheduledExecutorService executor;
  private final HttpApi api;
  private final HttpClient client;
  private final String base;

  private TestApi(Setup setup) {
    vertx = Vertx.vertx(new VertxOptions().setWorkerPoolSize(setup.workerPoolSize));
    executor = Executors.newScheduledThreadPool(2);
    LiveLogs logs =
        LiveLogs.over(
            new InMemoryLogStore(setup.maxLogLines, InMemoryLogStore.DEFAULT_MAX_LINE_LENGTH));
    runtime = new InMemoryWorkloadRuntime(logs, InMemoryRuntimeConfig.instant(), Clock.systemUTC());
    application =
        Toolrun.builder()
            .tools(outage.tools(new InMemoryToolRepository()))
            .instances(outage.instances(new InMemoryInstanceRepository()))
            .logs(logs)
            .runtime(runtime)
            .schemas(NetworkntSchemaValidator.create())
            .capacity(setup.capacity)
            .memoryBudget(setup.memoryBudget)
            .executor(executor)
            .clock(Clock.systemUTC())
            .random(new SecureRandom())
            .leadership(setup.leadership)
            .build();
    application.start();
    api =
        new HttpApi(
            vertx,
            new HttpConfig(
                "127.0.0.1",
                0,
                setup.maxBodyBytes,
                setup.authentication,
                setup.connections,
                setup.json,
                STREAM_HEARTBEAT),
            new ToolRoutes(
                application.registerTool(),
                application.getTool(),
                application.listToolVersions(),
                application.listTools(),
                application.deleteTool()),
            new InstanceRoutes(
                application.launchInstance(),
                application.getInstance(),
                application.listInstances(),
                application.cancelInstance(),
                application.stopInstance(),
                application.getInstanceLogs(),
                application.followInstanceLogs(),
                application.watchInstances()),
            new ServiceRoutes(setup.execute.apply(application.executeRequest())),
            new RuntimeRoutes(application.describeRuntime(), application.resizePool()),
            new HealthRoutes(application.checkReadiness()),
            setup.metrics);
    base = "http://127.0.0.1:" + api.start();
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
  }

  static TestApi start() {
    return new TestApi(Setup.defaults());
  }

  static TestApi start(Setup setup) {
    return new TestApi(setup);
  }

  /** An API built around other route objects (stubs), with the default setup. */
  static HttpApi custom(Vertx vertx, RuntimeRoutes runtime, Toolrun application) {
    return new HttpApi(
        vertx,
        new HttpConfig("127.0.0.1", 0, Authentication.bearer(TOKEN)),
        new ToolRoutes(
            application.registerTool(),
            application.getTool(),
            application.listToolVersions(),
            application.listTools(),
            application.deleteTool()),
        new InstanceRoutes(
            application.launchInstance(),
            application.getInstance(),
            application.listInstances(),
            application.cancelInstance(),
            application.stopInstance(),
            application.getInstanceLogs(),
            application.followInstanceLogs(),
            application.watchInstances()),
        new ServiceRoutes(application.executeRequest()),
        runtime,
        new HealthRoutes(application.checkReadiness()),
        HttpMetrics.none());
  }

  /** The port the API listens on, at 127.0.0.1. */
  int port() {
    return URI.create(base).getPort();
  }

  Response get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  Response put(String path, String json, String... headers) {
    return send("PUT", path, json, headers);
  }

  Response post(String path, String json, String... headers) {
    return send("POST", path, json, headers);
  }

  Response delete(String path, String... headers) {
    return send("DELETE", path, null, headers);
  }

  /**
   * Sends a request with the bearer token and, for a body, {@code Content-Type: application/json};
   * {@code headers} (name, value, ...) add to or replace those. A header value of {@code null}
   * leaves that header out.
   */
  Response send(String method, String path, String body, String... headers) {
    try {
      var response = client.send(request(method, path, body, headers), BodyHandlers.ofString());
      ContractCoverage.record(method, path, response.statusCode());
      return new Response(response.statusCode(), response.headers(), response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * A GET whose body is read as it comes, for an event stream: the answer once its headers are in.
   * The caller closes the body.
   */
  java.net.http.HttpResponse<InputStream> stream(String path, String... headers) {
    try {
      var response = client.send(request("GET", path, null, headers), BodyHandlers.ofInputStream());
      ContractCoverage.record("GET", path, response.statusCode());
      return response;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Like {@link #send}, but returns at once; the response comes later. */
  CompletableFuture<Response> sendAsync(
      String method, String path, String body, String... headers) {
    return client
        .sendAsync(request(method, path, body, headers), BodyHandlers.ofString())
        .thenApply(
            r -> {
              ContractCoverage.record(method, path, r.statusCode());
              return new Response(r.statusCode(), r.headers(), r.body());
            });
  }

  private HttpRequest request(String method, String path, String body, String... headers) {
    List<String> all = new ArrayList<>(List.of("Authorization", "Bearer " + TOKEN));
    if (body != null) {
      all.addAll(List.of("Content-Type", "application/json"));
    }
    for (int i = 0; i < headers.length; i += 2) {
      String name = headers[i];
      for (int j = 0; j < all.size(); j += 2) {
        if (all.get(j).equalsIgnoreCase(name)) {
          all.remove(j);
          all.remove(j);
          break;
        }
      }
      if (headers[i + 1] != null) {
        all.addAll(List.of(name, headers[i + 1]));
      }
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(10))
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    for (int i = 0; i < all.size(); i += 2) {
      request.header(all.get(i), all.get(i + 1));
    }
    return request.build();
  }

  /**
   * Sends {@code request} as raw bytes, for requests the JDK client refuses to make; the status.
   */
  int sendRaw(String request) {
    URI uri = URI.create(base);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder statusLine = new StringBuilder();
      for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
        statusLine.append((char) c);
      }
      int status = Integer.parseInt(statusLine.toString().split(" ")[1]);
      recordRaw(request, status);
      return status;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends {@code request} as raw bytes and reads the whole answer, status line to body, until the
   * server closes the connection.
   */
  String sendRawForAnswer(String request) {
    URI uri = URI.create(base);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String[] statusLine = answer.split("\r\n", 2)[0].split(" ");
      if (statusLine.length > 1 && statusLine[0].startsWith("HTTP/")) {
        recordRaw(request, Integer.parseInt(statusLine[1]));
      }
      return answer;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // The first answer to a raw request, by the method and target of its request line, when that
  // line can be read at all.
  private static void recordRaw(String request, int status) {
    String[] requestLine = request.split("\r\n", 2)[0].split(" ");
    if (requestLine.length == 3) {
      ContractCoverage.record(requestLine[0], requestLine[1], status);
    }
  }

  @Override
  public void close() {
    api.stop();
    runtime.close();
    executor.shutdownNow();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Vert.x did not close", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An HTTP response. */
  record Response(int status, java.net.http.HttpHeaders headers, String body) {
    Response {
      requireNonNull(headers, "headers is null");
    }

    JsonObject json() {
      return new JsonObject(body);
    }

    Optional<String> header(String name) {
      return headers.firstValue(name);
    }

    /** The fields of an error response's details, in order. */
    List<String> detailFields() {
      JsonArray details = json().getJsonArray("details");
      List<String> fields = new ArrayList<>();
      for (int i = 0; i < details.size(); i++) {
        fields.add(details.getJsonObject(i).getString("field"));
      }
      return fields;
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
