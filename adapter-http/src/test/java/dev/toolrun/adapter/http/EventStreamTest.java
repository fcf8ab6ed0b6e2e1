package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.http.SseEvents.Event;
import dev.toolrun.adapter.http.TestApi.Response;
import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.application.Capacity;
import dev.toolrun.domain.tool.ToolName;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The event streams: a log followed and resumed, and the instances watched. */
class EventStreamTest {
  private static final String EVENTS = "text/event-stream";
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static TestApi api;

  @BeforeAll
  static void start() {
    // Room for the 100,000-line run whole: resuming must find every line still there.
    api = TestApi.start(TestApi.Setup.defaults().withMaxLogLines(200_000));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static void register(String name) {
    register(api, name);
  }

  private static void register(TestApi on, String name) {
    Response r =
        on.put(
            "/v1/tools/" + name,
            "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"}}}");
    assertThat(r.status()).as(r.body()).isIn(200, 201);
  }

  private static String launch(String tool) {
    return launch(api, tool);
  }

  private static String launch(TestApi on, String tool) {
    Response r = on.post("/v1/instances", "{\"tool\":\"" + tool + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }

  private static SseEvents follow(String id, String... headers) {
    List<String> all = new ArrayList<>(List.of("Accept", EVENTS));
    all.addAll(List.of(headers));
    HttpResponse<InputStream> response =
        api.stream("/v1/instances/" + id + "/logs", all.toArray(String[]::new));
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue(EVENTS);
    return new SseEvents(response.body());
  }

  private static List<String> lines(int count, String prefix) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }

  @Test
  void aFollowedLogStreamsEveryLineWithItsNumberThenSaysHowTheRunEnded() {
    register("follow-me");
    api.runtime.script(
        new ToolName("follow-me"),
        Scenario.succeedAfter(Duration.ofMillis(300), lines(50, "line "), "{}"));
    String id = launch("follow-me");

    List<Event> events = new ArrayList<>();
    try (SseEvents stream = follow(id)) {
      for (Optional<Event> e = stream.next(); e.isPresent(); e = stream.next()) {
        events.add(e.get());
      }
    }

    List<Event> lines = events.subList(0, events.size() - 1);
    assertThat(lines).extracting(Event::data).isEqualTo(lines(50, "line "));
    assertThat(lines)
        .extracting(e -> e.id().orElseThrow())
        .isEqualTo(IntStream.range(0, 50).mapToObj(Integer::toString).toList());
    Event end = events.get(events.size() - 1);
    assertThat(end.name()).isEqualTo("end");
    assertThat(new JsonObject(end.data()))
        .isEqualTo(
            new JsonObject().put("state", "SUCCEEDED").put("complete", true).put("nextFrom", 50));
  }

  @Test
  void resumingWithLastEventIdLosesAndRepeatsNoLineOfAHundredThousand() {
    register("chatty");
    int total = 100_000;
    api.runtime.script(new ToolName("chatty"), Scenario.succeed(lines(total, "n"), "{}"));
    String id = launch("chatty");

    List<String> received = new ArrayList<>(total);
    Optional<String> lastId = Optional.empty();
    Event end = null;
    int connections = 0;
    while (end == null) {
      connections++;
      String[] resume =
          lastId.map(last -> new String[] {"Last-Event-ID", last}).orElse(new String[0]);
      // The connection drops every 17,000 events or so, wherever it is.
      try (SseEvents stream = follow(id, resume)) {
        for (int read = 0; read < 17_000; read++) {
          Optional<Event> e = stream.next();
          if (e.isEmpty()) {
            break;
          }
          if (e.get().name().equals("end")) {
            end = e.get();
            break;
          }
          assertThat(e.get().name()).isEqualTo("message");
          received.add(e.get().data());
          lastId = e.get().id();
        }
      }
    }

    assertThat(connections).isGreaterThan(5);
    assertThat(received).hasSize(total).isEqualTo(lines(total, "n"));
    assertThat(new JsonObject(end.data()).getLong("nextFrom")).isEqualTo(total);
  }

  @Test
  void fromSaysWhereAStreamStartsAndLastEventIdOverridesIt() {
    register("counted");
    api.runtime.script(new ToolName("counted"), Scenario.succeed(lines(10, "c"), "{}"));
    String id = launch("counted");

    try (SseEvents stream =
        new SseEvents(
            api.stream("/v1/instances/" + id + "/logs?from=7", "Accept", EVENTS).body())) {
      assertThat(stream.next()).map(Event::data).hasValue("c7");
    }
    try (SseEvents stream =
        new SseEvents(
            api.stream(
                    "/v1/instances/" + id + "/logs?from=7", "Accept", EVENTS, "Last-Event-ID", "2")
                .body())) {
      assertThat(stream.next()).map(Event::data).hasValue("c3");
    }
  }

  @Test
  void anIdleStreamSendsHeartbeats() {
    register("quiet");
    api.runtime.script(new ToolName("quiet"), Scenario.neverFinish());
    String id = launch("quiet");

    HttpResponse<InputStream> response =
        api.stream("/v1/instances/" + id + "/logs", "Accept", EVENTS);
    try (InputStream body = response.body()) {
      byte[] buffer = new byte[256];
      StringBuilder seen = new StringBuilder();
      // TestApi's heartbeat is 300 ms; three arrive within a second or so.
      while (count(seen.toString(), ": keep-alive") < 3) {
        int n = body.read(buffer);
        assertThat(n).isPositive();
        seen.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      assertThat(seen.toString()).startsWith("retry: 2000\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    api.post("/v1/instances/" + id + "/cancel", "");
  }

  private static int count(String text, String part) {
    int count = 0;
    for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
      count++;
    }
    return count;
  }

  @Test
  void aStreamRefusesABadLastEventIdAndAnUnknownInstanceBeforeItStarts() {
    register("refused");
    api.runtime.script(new ToolName("refused"), Scenario.succeed(List.of("x"), "{}"));
    String id = launch("refused");

    Response bad =
        api.get("/v1/instances/" + id + "/logs", "Accept", EVENTS, "Last-Event-ID", "abc");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(bad.body()).contains("Last-Event-ID");

    Response unknown =
        api.get("/v1/instances/0193a9b2-7c1d-7aaa-8bbb-0123456789ab/logs", "Accept", EVENTS);
    assertThat(unknown.status()).isEqualTo(404);
  }

  @Test
  void headOfAStreamAnswersItsHeadersAndEnds() {
    register("headed");
    api.runtime.script(new ToolName("headed"), Scenario.neverFinish());
    String id = launch("headed");

    Response head = api.send("HEAD", "/v1/instances/" + id + "/logs", null, "Accept", EVENTS);

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.header("Content-Type")).hasValue(EVENTS);
    assertThat(head.body()).isEmpty();
    api.post("/v1/instances/" + id + "/cancel", "");
  }

  @Test
  void withoutTheEventStreamAcceptTheLogIsAPageAsBefore() {
    register("paged");
    api.runtime.script(new ToolName("paged"), Scenario.succeed(List.of("a", "b"), "{}"));
    String id = launch("paged");
    await()
        .atMost(PATIENCE)
        .until(() -> api.get("/v1/instances/" + id + "/logs").json().getBoolean("complete"));

    Response page = api.get("/v1/instances/" + id + "/logs", "Accept", "*/*");

    assertThat(page.header("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
    assertThat(page.json().getLong("nextFrom")).isEqualTo(2);
  }

  @Test
  void aSlowReaderPausesItsFollowerInsteadOfBufferingTheLog() throws Exception {
    // A store of 10,000 lines, and a run of 100,000 lines of 200 bytes (20 MB): a reader that takes
    // nothing while the run writes must find, when it reads, that the lines it missed were dropped
    // from the store, not held by the server for it.
    try (TestApi small = TestApi.start(TestApi.Setup.defaults().withMaxLogLines(10_000))) {
      Response registered =
          small.put(
              "/v1/tools/flood",
              "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"}}}");
      assertThat(registered.status()).isEqualTo(201);
      small.runtime.script(
          new ToolName("flood"),
          Scenario.succeedAfter(Duration.ofMillis(500), lines(100_000, "x".repeat(194)), "{}"));
      Response launched = small.post("/v1/instances", "{\"tool\":\"flood\"}");
      String id = launched.json().getString("id");

      try (Socket socket = new Socket()) {
        socket.setReceiveBufferSize(4096);
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", small.port()));
        OutputStream out = socket.getOutputStream();
        out.write(
            ("GET /v1/instances/"
                    + id
                    + "/logs HTTP/1.1\r\nHost: x\r\nAccept: "
                    + EVENTS
                    + "\r\nAuthorization: Bearer "
                    + TestApi.TOKEN
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // Nothing is read until the run has ended and its log is complete.
        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    small
                        .get("/v1/instances/" + id + "/logs?from=99999")
                        .json()
                        .getBoolean("complete"));

        InputStream in = socket.getInputStream();
        String headers = readHeaders(in);
        assertThat(headers).startsWith("HTTP/1.1 200").contains("transfer-encoding: chunked");
        List<Event> named = new ArrayList<>();
        long lines = 0;
        try (SseEvents stream = new SseEvents(new Dechunked(in))) {
          for (Optional<Event> e = stream.next(); e.isPresent(); e = stream.next()) {
            if (e.get().name().equals("message")) {
              lines++;
            } else {
              named.add(e.get());
            }
          }
          // At most the socket buffers, the write queue and a batch, and the last 10,000 lines.
          assertThat(stream.bytes()).isLessThan(12L * 1024 * 1024);
        }
        // The follower fell behind the store's 10,000 lines while the kernel's buffers still took
        // what it sent, then stopped: every line is either received or announced as dropped.
        assertThat(named.get(named.size() - 1).name()).isEqualTo("end");
        List<Event> drops = named.subList(0, named.size() - 1);
        assertThat(drops).isNotEmpty().allSatisfy(e -> assertThat(e.name()).isEqualTo("dropped"));
        long dropped =
            drops.stream().mapToLong(e -> new JsonObject(e.data()).getLong("lines")).sum();
        assertThat(dropped + lines).isEqualTo(100_000);
        assertThat(dropped).isGreaterThan(50_000);
        assertThat(new JsonObject(named.get(named.size() - 1).data()).getBoolean("complete"))
            .isTrue();
      }
    }
  }

  private static String readHeaders(InputStream in) throws java.io.IOException {
    StringBuilder headers = new StringBuilder();
    while (!headers.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).isNotNegative();
      headers.append((char) b);
    }
    return headers.toString().toLowerCase(java.util.Locale.ROOT).replace("http/1.1", "HTTP/1.1");
  }

  @Test
  // A watch that waits for ever fails here instead of hanging the build.
  @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aWatchThatMatchesNothingYetIsSyncedAtOnceAndThenHearsOfTheFirstLaunch() throws Exception {
    register("first-of-its-kind");

    HttpResponse<InputStream> response =
        api.stream("/v1/instances?tool=first-of-its-kind", "Accept", EVENTS);
    try (SseEvents stream = new SseEvents(response.body())) {
      Event synced = stream.next().orElseThrow();
      assertThat(synced.name()).isEqualTo("synced");
      assertThat(new JsonObject(synced.data()).getInteger("instances")).isZero();

      String launched = launch(api, "first-of-its-kind");

      Event first = stream.next().orElseThrow();
      assertThat(first.name()).isEqualTo("instance");
      assertThat(new JsonObject(first.data()).getString("id")).isEqualTo(launched);
    }
  }

  @Test
  void aWatchSendsTheSnapshotThenEveryChangeOfState() throws Exception {
    // One task at a time, and a run that holds the slot until it is cancelled: the watched launch
    // stays PENDING until the watch has shown it so. A watch that falls behind sends an instance's
    // latest state only (documented), so without the hold a slow reader could miss PENDING.
    try (TestApi one = TestApi.start(TestApi.Setup.defaults().withCapacity(new Capacity(100, 1)))) {
      register(one, "watched");
      register(one, "unwatched");
      one.runtime.script(
          new ToolName("watched"),
          Scenario.succeedAfter(Duration.ofMillis(200), List.of("w"), "{}"));
      one.runtime.script(new ToolName("unwatched"), Scenario.neverFinish());
      String before = launch(one, "watched");
      await()
          .atMost(PATIENCE)
          .until(
              () ->
                  one.get("/v1/instances/" + before).json().getString("state").equals("SUCCEEDED"));

      HttpResponse<InputStream> response =
          one.stream("/v1/instances?tool=watched", "Accept", EVENTS);
      assertThat(response.statusCode()).isEqualTo(200);
      Map<String, List<String>> states = new ConcurrentHashMap<>();
      try (SseEvents stream = new SseEvents(response.body())) {
        Event first = stream.next().orElseThrow();
        assertThat(first.name()).isEqualTo("instance");
        assertThat(new JsonObject(first.data()).getString("id")).isEqualTo(before);
        Event synced = stream.next().orElseThrow();
        assertThat(synced.name()).isEqualTo("synced");
        assertThat(new JsonObject(synced.data()).getInteger("instances")).isEqualTo(1);

        String holder = launch(one, "unwatched");
        String during = launch(one, "watched");
        CompletableFuture<Void> untilEnd =
            CompletableFuture.runAsync(
                () -> {
                  while (!states.getOrDefault(during, List.of()).contains("SUCCEEDED")) {
                    Event e = stream.next().orElseThrow();
                    assertThat(e.name()).isEqualTo("instance");
                    JsonObject instance = new JsonObject(e.data());
                    assertThat(instance.getString("tool")).isEqualTo("watched");
                    List<String> seen =
                        states.computeIfAbsent(
                            instance.getString("id"), unused -> new ArrayList<>());
                    seen.add(instance.getString("state"));
                    if (seen.size() == 1) {
                      // Seen waiting: free the slot, and let it run to its end.
                      assertThat(one.post("/v1/instances/" + holder + "/cancel", null).status())
                          .isEqualTo(200);
                    }
                  }
                });
        untilEnd.get(PATIENCE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
      }
      assertThat(states).containsOnlyKeys(states.keySet().iterator().next());
      List<String> seen = states.values().iterator().next();
      assertThat(seen).first().isEqualTo("PENDING");
      assertThat(seen).last().isEqualTo("SUCCEEDED");
      // Never back in time: each state is one the lifecycle reaches after the one before.
      List<String> order = List.of("PENDING", "CREATING", "STARTING", "RUNNING", "SUCCEEDED");
      assertThat(seen).isSortedAccordingTo(java.util.Comparator.comparingInt(order::indexOf));
    }
  }
}
