package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.app.FuzzRequest.Auth;
import dev.toolrun.app.FuzzRequest.Header;
import dev.toolrun.app.FuzzRequest.Transport;
import dev.toolrun.app.config.ConfigLoader;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Throws at least 10,000 generated requests at the whole service (configuration, Guice wiring,
 * in-memory runtime, the HTTP API on a real port) over real HTTP, and holds every answer to the
 * API's promises: no 5xx, no hang, no dropped connection, every 4xx in the one error shape with a
 * documented code, every 2xx in its declared media type, no stack trace anywhere, nothing under
 * {@code /v1} served without the token. Afterwards the service must still be healthy: probes up, a
 * normal run succeeds, every task settles, and the thread pools answer a burst at once.
 *
 * <p>The requests come from {@link FuzzRequests} and {@link FuzzJson}, drawn from one seeded {@link
 * Random} on the test thread and sent in batches of {@value #BATCH} from {@value #SENDERS} threads.
 * The run prints its seed; {@code -Dtoolrun.fuzz.seed=<seed>} draws the same requests again (the
 * instances they act on may differ, as they depend on the order in which answers came), and {@code
 * -Dtoolrun.fuzz.requests=<n>} changes how many are sent. Each failing request is written byte for
 * byte to {@code app/target/fuzz-failures/}, to replay with {@code nc 127.0.0.1 <port> < file}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HttpFuzzTest {
  private static final String TOKEN = "fuzz-token-0123456789";
  private static final int REQUESTS = Integer.getInteger("toolrun.fuzz.requests", 10_000);
  private static final long SEED =
      Optional.ofNullable(System.getProperty("toolrun.fuzz.seed"))
          .filter(seed -> !seed.isBlank())
          .map(Long::parseLong)
          .orElseGet(() -> new Random().nextLong());
  private static final int BATCH = 64;
  private static final int SENDERS = 8;
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Path FAILURES = Path.of("target", "fuzz-failures");
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final Pattern CODE = Pattern.compile("[A-Z][A-Z0-9_]*");
  private static final Pattern TOOL_NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern INSTANCE_ID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern UNSUPPORTED_VERSION = Pattern.compile("(?i)HTTP/[0-9]\\.[0-9]");
  private static final Map<Integer, Set<String>> CODES =
      Map.of(
          400, Set.of("VALIDATION_FAILED", "MALFORMED_REQUEST"),
          401, Set.of("UNAUTHORIZED"),
          404, Set.of("NOT_FOUND", "TOOL_NOT_FOUND", "INSTANCE_NOT_FOUND"),
          405, Set.of("METHOD_NOT_ALLOWED"),
          409, Set.of("ILLEGAL_TRANSITION", "CONFLICT", "INSTANCE_NOT_SERVING"),
          413, Set.of("PAYLOAD_TOO_LARGE"),
          415, Set.of("UNSUPPORTED_MEDIA_TYPE"),
          429, Set.of("TOO_MANY_REQUESTS"));
  // The one status that each kind of strict-protocol request must get (FuzzRequests.protocol()).
  private static final Map<String, Set<Integer>> EXPECTED =
      Map.of(
          "strict-framing", Set.of(400),
          "strict-utf8", Set.of(400),
          "strict-surrogate", Set.of(400),
          "strict-uri", Set.of(400),
          "strict-duplicate", Set.of(400),
          "strict-two-tokens", Set.of(400),
          "strict-media", Set.of(415),
          "strict-head", Set.of(200, 404),
          "strict-405", Set.of(405));
  // What a body must never show: the server's insides.
  private static final List<String> LEAKS =
      List.of(
          "Exception",
          "\tat ",
          "at dev.toolrun",
          "at io.vertx",
          "at java.",
          "java.lang.",
          "io.netty",
          "tools.jackson",
          "com.fasterxml",
          "dev.toolrun.");
  private static final Set<String> TASK_STATES_NOT_SETTLED =
      Set.of("PENDING", "CREATING", "STARTING", "RUNNING");

  // A line of the server's log (TextLogs's pattern, on standard error) at WARN or ERROR.
  private static final Pattern TROUBLE = Pattern.compile("^\\S+ (WARN|ERROR) ");
  private static final PrintStream STANDARD_ERROR = System.err;
  private static final List<String> serverTrouble = new CopyOnWriteArrayList<>();

  private static ToolrunServer server;
  private static int port;
  private static String base;
  private static HttpClient http1;
  private static HttpClient http2;
  private static ExecutorService senders;
  private static final List<String> knownIds = new CopyOnWriteArrayList<>();
  private static final List<String> knownCursors = new CopyOnWriteArrayList<>();
  private static final Stats stats = new Stats();

  @BeforeAll
  static void start() throws IOException {
    // The server logs what the client cannot see (a failure after the connection closed, a
    // blocked event loop): every warning and error of the run is a finding too.
    System.setErr(
        new PrintStream(STANDARD_ERROR, true, StandardCharsets.UTF_8) {
          private final StringBuilder line = new StringBuilder();

          // Every print arrives here as bytes: logback writes bytes, println through this stream.
          @Override
          public synchronized void write(byte[] bytes, int offset, int length) {
            String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
            for (char c : text.toCharArray()) {
              if (c == '\n') {
                if (TROUBLE.matcher(line).find()) {
                  serverTrouble.add(line.toString());
                }
                line.setLength(0);
              } else {
                line.append(c);
              }
            }
            super.write(bytes, offset, length);
          }
        });
    server =
        Main.createServer(
            new ConfigLoader()
                .load(
                    List.of(),
                    Map.of(
                        "TOOLRUN_HTTP_PORT", "0",
                        "TOOLRUN_HTTP_HOST", "127.0.0.1",
                        "TOOLRUN_AUTH_TOKEN", TOKEN,
                        "TOOLRUN_IN_MEMORY_STEP_DELAY_MS", "0")));
    port = server.start();
    base = "http://127.0.0.1:" + port;
    http1 = client(HttpClient.Version.HTTP_1_1);
    http2 = client(HttpClient.Version.HTTP_2);
    senders = Executors.newFixedThreadPool(SENDERS);
    Files.createDirectories(FAILURES);
    try (var old = Files.list(FAILURES)) {
      for (Path file : old.toList()) {
        Files.delete(file);
      }
    }
    // Something for the valid requests to work on: every pool tool, and a task and a service.
    // Fixed specs, not generated ones: the generators' "valid" text may be empty or otherwise
    // refused, which is fine for a fuzzed request but not for the fixture every request needs.
    ToolrunClient client = new ToolrunClient(port, TOKEN);
    String task =
        "{\"mode\":\"TASK\",\"script\":{\"language\":\"shell\",\"source\":\"echo hello\"}}";
    for (String tool : FuzzRequests.TASK_TOOLS) {
      ToolrunClient.Answer registered = client.put("/v1/tools/" + tool, "{\"spec\":" + task + "}");
      assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    }
    String service =
        "{\"mode\":\"SERVICE\",\"image\":{\"name\":\"nginx:1\"},\"service\":{\"port\":8080}}";
    for (String tool : FuzzRequests.SERVICE_TOOLS) {
      ToolrunClient.Answer registered =
          client.put("/v1/tools/" + tool, "{\"spec\":" + service + "}");
      assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    }
    for (String tool : List.of(FuzzRequests.TASK_TOOLS.get(0), FuzzRequests.SERVICE_TOOLS.get(0))) {
      ToolrunClient.Answer launched = client.post("/v1/instances", "{\"tool\":\"" + tool + "\"}");
      assertThat(launched.status()).as(launched.body()).isEqualTo(201);
      knownIds.add(launched.json().get("id").asString());
    }
    knownCursors.add(client.get("/v1/tools?limit=1").json().get("nextCursor").asString());
    stats.started.set(System.nanoTime());
    stats.startedCpu.set(cpuNanos());
  }

  @AfterAll
  static void stop() {
    System.setErr(STANDARD_ERROR);
    if (senders != null) {
      senders.shutdownNow();
    }
    if (server != null) {
      server.stop();
    }
  }

  @Test
  @Order(1)
  void generatedRequestsBreakNoPromiseOfTheApi() throws InterruptedException {
    System.out.printf(
        "[fuzz] seed %d (rerun with -Dtoolrun.fuzz.seed=%d), %d requests, server on port %d%n",
        SEED, SEED, REQUESTS, port);
    Random random = new Random(SEED);
    FuzzRequests requests = new FuzzRequests(TOKEN);
    var generator = requests.any();
    List<String> failures = new ArrayList<>();
    for (int sent = 0; sent < REQUESTS; sent += BATCH) {
      List<Future<Optional<String>>> answers = new ArrayList<>();
      for (int number = sent; number < Math.min(sent + BATCH, REQUESTS); number++) {
        FuzzRequest request = generator.next(random);
        int n = number;
        answers.add(senders.submit(() -> check(n, request)));
      }
      for (Future<Optional<String>> answer : answers) {
        try {
          answer.get().ifPresent(failures::add);
        } catch (ExecutionException e) {
          throw new IllegalStateException("the fuzz client itself failed", e.getCause());
        }
      }
    }
    stats.print();

    assertThat(failures)
        .as(
            "%d of %d requests broke a promise of the API (seed %d; all of them are in %s):%n%s",
            failures.size(),
            REQUESTS,
            SEED,
            FAILURES.toAbsolutePath(),
            failures.stream().limit(10).collect(Collectors.joining("\n")))
        .isEmpty();
    assertThat(serverTrouble).as("warnings and errors in the server's log").isEmpty();
    assertThat(stats.total.sum()).isEqualTo(REQUESTS);
  }

  @Test
  @Order(2)
  void theServiceIsStillHealthyAfterwards() throws Exception {
    ToolrunClient client = new ToolrunClient(port, TOKEN);

    assertThat(client.get("/health/live").status()).isEqualTo(200);
    assertThat(client.get("/health/ready").status()).isEqualTo(200);

    // A normal run still goes from registration to SUCCEEDED, with its result and logs.
    ToolrunClient.Answer registered =
        client.put(
            "/v1/tools/fuzz-afterwards",
            "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"}}}");
    assertThat(registered.status()).as(registered.body()).isIn(200, 201);
    ToolrunClient.Answer launched =
        client.post(
            "/v1/instances", "{\"tool\":\"fuzz-afterwards\",\"parameters\":{\"name\":\"Ada\"}}");
    assertThat(launched.status()).as(launched.body()).isEqualTo(201);
    String id = launched.json().get("id").asString();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> client.get("/v1/instances/" + id).json().get("state").asString(),
            "SUCCEEDED"::equals);
    assertThat(
            client
                .get("/v1/instances/" + id)
                .json()
                .get("result")
                .get("parameters")
                .get("name")
                .asString())
        .isEqualTo("Ada");
    assertThat(client.get("/v1/instances/" + id + "/logs").status()).isEqualTo(200);

    // No task of the run is stuck on its way: each one settles.
    await()
        .atMost(Duration.ofSeconds(20))
        .untilAsserted(() -> assertThat(unsettledTasks(client)).isEmpty());

    // The event loops and the worker pool answer a burst at once: nothing is blocked or dead.
    List<CompletableFuture<HttpResponse<String>>> burst = new ArrayList<>();
    for (int i = 0; i < 64; i++) {
      String path =
          switch (i % 4) {
            case 0 -> "/health/live";
            case 1 -> "/v1/runtime/capabilities";
            case 2 -> "/v1/instances?limit=5";
            default -> "/v1/tools/fuzz-afterwards";
          };
      burst.add(
          http1.sendAsync(
              HttpRequest.newBuilder(URI.create(base + path))
                  .header("Authorization", "Bearer " + TOKEN)
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              BodyHandlers.ofString()));
    }
    CompletableFuture.allOf(burst.toArray(CompletableFuture[]::new)).get(15, TimeUnit.SECONDS);
    for (CompletableFuture<HttpResponse<String>> answer : burst) {
      assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(200);
    }
  }

  // The task instances that have not reached a final state.
  private static List<String> unsettledTasks(ToolrunClient client) {
    List<String> unsettled = new ArrayList<>();
    String cursor = null;
    do {
      ToolrunClient.Answer page =
          client.get(
              "/v1/instances?limit=500&state=PENDING,CREATING,STARTING,RUNNING"
                  + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      for (JsonNode instance : page.json().get("items")) {
        if (instance.get("mode").asString().equals("TASK")
            && TASK_STATES_NOT_SETTLED.contains(instance.get("state").asString())) {
          unsettled.add(instance.get("id").asString() + " " + instance.get("state").asString());
        }
      }
      JsonNode next = page.json().get("nextCursor");
      cursor = next == null ? null : next.asString();
    } while (cursor != null);
    return unsettled;
  }

  // ---------------------------------------------------------------------------------------------
  // Sending.

  /** An answer: status, headers (names in lower case) and body. */
  private record Answer(int status, Map<String, List<String>> headers, byte[] body) {
    Optional<String> header(String name) {
      List<String> values = headers.getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
      return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** Sends {@code request} and checks its answer; a description of what went wrong, if anything. */
  private static Optional<String> check(int number, FuzzRequest sent) {
    String target = resolve(sent);
    FuzzRequest request =
        sent.transport() == Transport.HTTP1_EXPECT_CONTINUE
            ? sent.withHeaders(
                List.of(
                    new Header("Host", "127.0.0.1"),
                    new Header("Content-Length", Integer.toString(sent.body().length)),
                    new Header("Expect", "100-continue"),
                    new Header("Connection", "close")))
            : sent;
    long started = System.nanoTime();
    Answer answer;
    List<String> problems;
    try {
      answer =
          switch (request.transport()) {
            case RAW, HTTP1_EXPECT_CONTINUE -> sendRaw(request, target);
            case HTTP1, HTTP1_CHUNKED, HTTP2 -> send(request, target);
          };
      problems = problems(request, target, answer);
    } catch (HttpTimeoutException e) {
      answer = null;
      problems = List.of("no answer within " + REQUEST_TIMEOUT.toSeconds() + " s (a hang)");
    } catch (IOException e) {
      answer = null;
      if (brokenFraming(request)) {
        // Vert.x closes the connection when the codec finds the body's framing broken.
        stats.closedOnBrokenFraming.increment();
        problems = List.of();
      } else if (headTooLarge(request, target)
          && request.body() != null
          && request.body().length > 65_536) {
        // Vert.x closes the connection as soon as it has answered a request it could not parse;
        // a client still sending a large body may then see a reset instead of the answer.
        stats.resetWhileUploading.increment();
        problems = List.of();
      } else {
        problems = List.of("no answer: the connection failed (" + e + ")");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    stats.count(request, answer, System.nanoTime() - started);
    learn(request, answer);
    if (problems.isEmpty()) {
      return Optional.empty();
    }
    stats.failures.incrementAndGet();
    String report =
        "#%d %s%n  => %s%n%s"
            .formatted(
                number,
                request.describe(target),
                String.join("; ", problems),
                answer == null ? "" : "  answer: " + preview(answer));
    try {
      Files.write(FAILURES.resolve(number + ".http"), request.wire(target));
      Files.writeString(FAILURES.resolve(number + ".txt"), report);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.of(report);
  }

  private static String resolve(FuzzRequest request) {
    String target = request.target();
    if (target.contains(FuzzRequest.KNOWN_ID)) {
      target = target.replace(FuzzRequest.KNOWN_ID, knownIds.get(request.pick() % knownIds.size()));
    }
    if (target.contains(FuzzRequest.KNOWN_CURSOR)) {
      target =
          target.replace(
              FuzzRequest.KNOWN_CURSOR, knownCursors.get(request.pick() % knownCursors.size()));
    }
    return target;
  }

  private static Answer send(FuzzRequest request, String target)
      throws IOException, InterruptedException {
    byte[] body = request.body();
    BodyPublisher publisher =
        body == null
            ? BodyPublishers.noBody()
            : request.transport() == Transport.HTTP1_CHUNKED
                ? BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : BodyPublishers.ofByteArray(body);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + target))
            .timeout(REQUEST_TIMEOUT)
            .method(request.method(), publisher);
    for (Header header : request.headers()) {
      builder.header(header.name(), header.value());
    }
    HttpClient client = request.transport() == Transport.HTTP2 ? http2 : http1;
    // The request timeout ends only the wait for the headers; a body that never ends is a hang too.
    CompletableFuture<HttpResponse<byte[]>> pending =
        client.sendAsync(builder.build(), BodyHandlers.ofByteArray());
    HttpResponse<byte[]> response;
    try {
      response = pending.get(REQUEST_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new HttpTimeoutException("the answer did not end");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IllegalStateException("the JDK client failed", e.getCause());
    }
    Map<String, List<String>> headers = new TreeMap<>();
    response
        .headers()
        .map()
        .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
    return new Answer(
        response.statusCode(), headers, response.body() == null ? new byte[0] : response.body());
  }

  /**
   * Sends the request's bytes over a socket and reads one HTTP/1.x answer. With {@code Expect:
   * 100-continue} the body follows only a 100 (Continue), or a short silence; a final answer in its
   * place is the answer, and the body is never sent.
   */
  private static Answer sendRaw(FuzzRequest request, String target) throws IOException {
    boolean expectContinue = request.transport() == Transport.HTTP1_EXPECT_CONTINUE;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      OutputStream out = socket.getOutputStream();
      InputStream in = new BufferedInputStream(socket.getInputStream());
      String first = null;
      try {
        if (expectContinue) {
          out.write(request.head(target));
          out.flush();
          socket.setSoTimeout(2_000);
          try {
            first = line(in);
            if (first != null && status(first) == 100) {
              skipHeaders(in);
              first = null;
              out.write(request.body());
            }
          } catch (SocketTimeoutException silence) {
            out.write(request.body());
          }
        } else {
          out.write(request.wire(target));
        }
        out.flush();
      } catch (IOException e) {
        // The server may answer and close before it has read everything; the answer still counts.
      }
      socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
      try {
        return answer(first == null ? line(in) : first, in);
      } catch (SocketTimeoutException e) {
        throw new HttpTimeoutException("no answer on the socket");
      }
    }
  }

  // The answer whose status line is statusLine, after any interim (1xx) answers.
  private static Answer answer(String statusLine, InputStream in) throws IOException {
    while (true) {
      if (statusLine == null) {
        throw new IOException("the server closed the connection without an answer");
      }
      int status = status(statusLine);
      Map<String, List<String>> headers = new TreeMap<>();
      for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
        int colon = header.indexOf(':');
        headers
            .computeIfAbsent(
                header.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(header.substring(colon + 1).trim());
      }
      if (status >= 100 && status < 200) {
        statusLine = line(in);
        continue;
      }
      byte[] body;
      List<String> length = headers.getOrDefault("content-length", List.of());
      if (!length.isEmpty()) {
        body = in.readNBytes(Integer.parseInt(length.get(0)));
      } else if (headers.getOrDefault("transfer-encoding", List.of()).contains("chunked")) {
        body = chunked(in);
      } else {
        body = in.readAllBytes();
      }
      return new Answer(status, headers, body);
    }
  }

  private static int status(String statusLine) throws IOException {
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP status line: " + statusLine);
    }
    return Integer.parseInt(parts[1]);
  }

  private static void skipHeaders(InputStream in) throws IOException {
    for (String header = line(in); header != null && !header.isEmpty(); header = line(in)) {
      // An interim answer's headers say nothing the test needs.
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b = in.read();
    if (b < 0) {
      return null;
    }
    while (b >= 0 && b != '\n') {
      if (b != '\r') {
        line.write(b);
      }
      b = in.read();
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (String size = line(in); size != null; size = line(in)) {
      int n = Integer.parseInt(size.split(";")[0].trim(), 16);
      if (n == 0) {
        line(in);
        break;
      }
      body.writeBytes(in.readNBytes(n));
      line(in);
    }
    return body.toByteArray();
  }

  /** Remembers launched instances and page cursors, for later requests to use. */
  private static void learn(FuzzRequest request, Answer answer) {
    if (answer == null || answer.status() / 100 != 2 || request.method().equals("HEAD")) {
      return;
    }
    try {
      if (request.method().equals("POST")
          && request.path().equals("/v1/instances")
          && answer.status() == 201
          && knownIds.size() < 5_000) {
        knownIds.add(JSON.readTree(answer.body()).get("id").asString());
      }
      if (request.method().equals("GET")
          && (request.path().equals("/v1/instances") || request.path().equals("/v1/tools"))
          && knownCursors.size() < 500) {
        JsonNode next = JSON.readTree(answer.body()).get("nextCursor");
        if (next != null) {
          knownCursors.add(next.asString());
        }
      }
    } catch (JacksonException e) {
      // problems() has reported the body already.
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The oracle.

  /** Every way in which {@code answer} breaks a promise of the API. */
  private static List<String> problems(FuzzRequest request, String target, Answer answer) {
    List<String> problems = new ArrayList<>();
    int status = answer.status();
    boolean head = request.method().equals("HEAD");
    if (status == 501 && unsupportedVersion(request) && answer.body().length == 0) {
      // Vert.x answers a request line with another version than HTTP/1.0 or 1.1 (HTTP/9.9,
      // http/1.1)
      // itself, before any handler of toolrun's runs; that answer cannot be changed.
      stats.unsupportedVersions.increment();
      return problems;
    }
    if (status >= 500) {
      problems.add("status " + status + ": a server error");
    } else if (status < 200 || (status >= 300 && status < 400)) {
      problems.add("unexpected status " + status);
    }
    String text = answer.text();
    boolean document = request.path().equals("/openapi.yaml") && status == 200;
    if (!document) {
      for (String leak : LEAKS) {
        if (text.contains(leak)) {
          problems.add("the body shows the server's insides ('" + leak + "')");
        }
      }
    }
    if (status >= 400 && !head) {
      problems.addAll(errorShape(status, answer));
    }
    Set<Integer> expected = EXPECTED.get(request.kind());
    if (expected != null && !expected.contains(status)) {
      problems.add("a " + status + " where " + expected + " is due");
    }
    if (request.kind().equals("strict-framing")
        && !answer.header("Connection").orElse("").equalsIgnoreCase("close")) {
      problems.add("ambiguous framing answered on a connection that stays open");
    }
    if (status == 405 && answer.header("Allow").orElse("").isBlank()) {
      problems.add("a 405 without an Allow header");
    }
    if (head && answer.body().length > 0) {
      problems.add("a HEAD answered with a body");
    }
    if (status >= 200 && status < 300) {
      if (request.auth() == Auth.INVALID && request.underV1()) {
        problems.add("answered " + status + " without the right bearer token");
      }
      problems.addAll(semantics(request, target, answer));
      if (status == 204 && answer.body().length > 0) {
        problems.add("a 204 with a body");
      } else if (!head && status != 204) {
        String type = answer.header("Content-Type").orElse("");
        if (document) {
          if (!type.startsWith("application/yaml") || !text.startsWith("openapi:")) {
            problems.add("the document is not served as YAML (" + type + ")");
          }
        } else if (type.startsWith("text/plain")) {
          if (!request.path().endsWith("/logs")) {
            problems.add("text/plain from an endpoint that answers JSON");
          }
        } else if (!type.startsWith("application/json")) {
          problems.add("a " + status + " of type '" + type + "', not JSON");
        } else {
          try {
            JSON.readTree(answer.body());
          } catch (JacksonException e) {
            problems.add("a " + status + " whose body is not JSON");
          }
        }
      }
    }
    return problems;
  }

  /** What a success must say: the resource it names is the one asked for, in its valid form. */
  private static List<String> semantics(FuzzRequest request, String target, Answer answer) {
    List<String> problems = new ArrayList<>();
    int query = target.indexOf('?');
    String path = query < 0 ? target : target.substring(0, query);
    try {
      path = URI.create(path).normalize().getRawPath();
      if (request.method().equals("PUT")
          && path.startsWith("/v1/tools/")
          && answer.status() / 100 == 2) {
        String asked =
            URLDecoder.decode(
                path.substring("/v1/tools/".length()).replace("+", "%2B"), StandardCharsets.UTF_8);
        String name = JSON.readTree(answer.body()).path("name").asString("");
        if (!name.equals(asked) || !TOOL_NAME.matcher(name).matches()) {
          problems.add("registered '" + name + "' for a PUT to " + path);
        }
      }
      if (request.method().equals("POST")
          && path.equals("/v1/instances")
          && answer.status() == 201) {
        String id = JSON.readTree(answer.body()).path("id").asString("");
        if (!INSTANCE_ID.matcher(id).matches()
            || !answer.header("Location").orElse("").equals("/v1/instances/" + id)) {
          problems.add("launched an instance with id '" + id + "' at " + answer.header("Location"));
        }
      }
    } catch (JacksonException e) {
      // problems() reports a body that is not JSON.
    } catch (IllegalArgumentException e) {
      problems.add("a success for a path that cannot be decoded");
    }
    return problems;
  }

  // Whether the codec refuses the request's head: a request line over 4096 bytes or headers over
  // 8192 (the JDK client adds a few of its own).
  private static boolean headTooLarge(FuzzRequest request, String target) {
    int line = request.method().length() + target.length() + 10;
    int headers = request.headers().stream().mapToInt(h -> h.line().length() + 2).sum();
    return line > 4096 || headers > 8000;
  }

  // A raw request whose chunked body starts with a chunk size that is not hexadecimal.
  private static boolean brokenFraming(FuzzRequest request) {
    return request.transport() == Transport.RAW
        && request.headers().stream()
            .anyMatch(
                h -> h.name().equalsIgnoreCase("Transfer-Encoding") && h.value().equals("chunked"))
        && request.body() != null
        && request.body().length > 0
        && Character.digit(request.body()[0], 16) < 0;
  }

  private static boolean unsupportedVersion(FuzzRequest request) {
    return request.transport() == Transport.RAW
        && UNSUPPORTED_VERSION.matcher(request.version()).matches()
        && !request.version().equals("HTTP/1.0")
        && !request.version().equals("HTTP/1.1");
  }

  /** How an error answer differs from {"status", "code", "message", "details": [...]}. */
  private static List<String> errorShape(int status, Answer answer) {
    List<String> problems = new ArrayList<>();
    String type = answer.header("Content-Type").orElse("");
    if (!type.startsWith("application/json")) {
      problems.add("an error of type '" + type + "', not application/json");
    }
    JsonNode error;
    try {
      error = JSON.readTree(answer.body());
    } catch (JacksonException e) {
      problems.add("an error whose body is not JSON");
      return problems;
    }
    if (error == null || !error.isObject()) {
      problems.add("an error whose body is not a JSON object");
      return problems;
    }
    Set<String> fields = new java.util.TreeSet<>(error.propertyNames());
    if (!fields.equals(Set.of("status", "code", "message", "details"))) {
      problems.add("an error with the fields " + fields);
    }
    JsonNode code = error.get("code");
    JsonNode message = error.get("message");
    JsonNode details = error.get("details");
    if (error.get("status") == null
        || !error.get("status").isInt()
        || error.get("status").asInt() != status) {
      problems.add("an error whose status field is not " + status);
    }
    if (code == null || !code.isString() || !CODE.matcher(code.asString()).matches()) {
      problems.add("an error whose code is not UPPER_SNAKE");
    } else if (!CODES.getOrDefault(status, Set.of("MALFORMED_REQUEST")).contains(code.asString())) {
      problems.add("code " + code.asString() + " is not documented for status " + status);
    }
    if (message == null || !message.isString() || message.asString().isBlank()) {
      problems.add("an error without a message");
    }
    if (details == null || !details.isArray()) {
      problems.add("an error without a details array");
    } else {
      for (JsonNode detail : details) {
        if (!detail.isObject()
            || detail.get("field") == null
            || !detail.get("field").isString()
            || detail.get("message") == null
            || !detail.get("message").isString()
            || detail.get("message").asString().isBlank()) {
          problems.add("a detail that is not {field, message}: " + detail);
          break;
        }
      }
      if (code != null && code.asString().equals("VALIDATION_FAILED") && details.isEmpty()) {
        problems.add("VALIDATION_FAILED without details");
      }
    }
    return problems;
  }

  private static String preview(Answer answer) {
    String text = answer.text();
    return answer.status()
        + " "
        + answer.headers()
        + " "
        + (text.length() > 600
            ? text.substring(0, 600) + "... (" + text.length() + " chars)"
            : text);
  }

  // The CPU time of this JVM, client and server together: on a busy machine a fairer measure of
  // the run's cost than the time it took.
  private static long cpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime()
        : 0;
  }

  private static HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder()
        .version(version)
        .connectTimeout(Duration.ofSeconds(5))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
  }

  // ---------------------------------------------------------------------------------------------
  // Statistics and settings.

  /** What the run sent and got, printed at its end. */
  private static final class Stats {
    final AtomicLong started = new AtomicLong();
    final AtomicLong startedCpu = new AtomicLong();
    final LongAdder total = new LongAdder();
    final AtomicInteger failures = new AtomicInteger();
    final AtomicLong slowestNanos = new AtomicLong();
    final LongAdder unsupportedVersions = new LongAdder();
    final LongAdder closedOnBrokenFraming = new LongAdder();
    final LongAdder resetWhileUploading = new LongAdder();
    final ConcurrentMap<String, LongAdder> statuses = new ConcurrentHashMap<>();
    final ConcurrentMap<String, ConcurrentMap<String, LongAdder>> kinds = new ConcurrentHashMap<>();
    final ConcurrentMap<Transport, LongAdder> transports = new ConcurrentHashMap<>();
    final ConcurrentMap<String, LongAdder> kindNanos = new ConcurrentHashMap<>();

    void count(FuzzRequest request, Answer answer, long nanos) {
      String status = answer == null ? "none" : Integer.toString(answer.status());
      total.increment();
      statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
      kinds
          .computeIfAbsent(request.kind(), k -> new ConcurrentHashMap<>())
          .computeIfAbsent(status, s -> new LongAdder())
          .increment();
      transports.computeIfAbsent(request.transport(), t -> new LongAdder()).increment();
      kindNanos.computeIfAbsent(request.kind(), k -> new LongAdder()).add(nanos);
      slowestNanos.accumulateAndGet(nanos, Math::max);
    }

    void print() {
      double seconds = (System.nanoTime() - started.get()) / 1e9;
      StringBuilder out = new StringBuilder();
      out.append(
          ("%n[fuzz] %d requests in %.1f s (%.0f/s; %.1f s of CPU for client and server), slowest"
                  + " %d ms, %d broke a promise%n")
              .formatted(
                  total.sum(),
                  seconds,
                  total.sum() / seconds,
                  (cpuNanos() - startedCpu.get()) / 1e9,
                  TimeUnit.NANOSECONDS.toMillis(slowestNanos.get()),
                  failures.get()));
      out.append("[fuzz] by status: ").append(sorted(statuses)).append('\n');
      new TreeMap<>(kinds)
          .forEach(
              (kind, byStatus) -> {
                long count = byStatus.values().stream().mapToLong(LongAdder::sum).sum();
                out.append(
                    "[fuzz]   %-16s %5d, %5.1f ms on average: %s%n"
                        .formatted(
                            kind,
                            count,
                            kindNanos.get(kind).sum() / 1e6 / count,
                            sorted(byStatus)));
              });
      out.append("[fuzz] by transport: ").append(sorted(transports)).append('\n');
      out.append("[fuzz] instances launched: ").append(knownIds.size()).append('\n');
      out.append(
          "[fuzz] 501 from Vert.x itself for a protocol version other than HTTP/1.0 or 1.1: %d%n"
              .formatted(unsupportedVersions.sum()));
      out.append(
          "[fuzz] connection closed by Vert.x on a body with broken chunked framing: %d%n"
              .formatted(closedOnBrokenFraming.sum()));
      out.append(
          "[fuzz] answer to an unparsable head lost to a reset while the body was uploaded: %d%n"
              .formatted(resetWhileUploading.sum()));
      System.out.print(out);
    }

    private static <K> String sorted(Map<K, LongAdder> counts) {
      return new TreeMap<>(
              counts.entrySet().stream()
                  .collect(Collectors.toMap(e -> e.getKey().toString(), e -> e.getValue().sum())))
          .toString();
    }
  }
}
