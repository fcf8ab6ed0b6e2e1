package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.http.TestApi.Response;
import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.application.Capacity;
import dev.toolrun.domain.tool.ToolName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class InstanceApiTest {
  private static final String SECRET = "s3cr3t-value-do-not-echo";
  private static final Duration PATIENCE = Duration.ofSeconds(5);

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static void register(String name) {
    register(name, "{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"}}");
  }

  private static void register(String name, String spec) {
    Response r = api.put("/v1/tools/" + name, "{\"spec\":" + spec + "}");
    assertThat(r.status()).as(r.body()).isIn(200, 201);
  }

  private static JsonObject launch(String body, String... headers) {
    Response r = api.post("/v1/instances", body, headers);
    assertThat(r.status()).as(r.body()).isIn(200, 201);
    return r.json();
  }

  private static JsonObject awaitState(String id, String state) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(api.get("/v1/instances/" + id).json().getString("state"))
                    .isEqualTo(state));
    return api.get("/v1/instances/" + id).json();
  }

  @Test
  void launchingAnswers201WithTheLocationOfTheNewInstance() {
    register("answer");
    api.runtime.script(
        new ToolName("answer"),
        Scenario.succeed(List.of("thinking"), "{\"answer\":42,\"why\":[1,2]}"));

    Response r =
        api.post(
            "/v1/instances", "{\"tool\":\"answer\",\"parameters\":{\"question\":\"everything\"}}");

    assertThat(r.status()).isEqualTo(201);
    JsonObject launched = r.json();
    assertThat(r.header("Location")).contains("/v1/instances/" + launched.getString("id"));
    assertThat(launched.getString("tool")).isEqualTo("answer");
    assertThat(launched.getInteger("toolVersion")).isEqualTo(1);
    assertThat(launched.getString("mode")).isEqualTo("TASK");
    assertThat(launched.getJsonObject("parameters"))
        .isEqualTo(new JsonObject().put("question", "everything"));
    assertThat(launched.getJsonArray("history").getJsonObject(0).getString("state"))
        .isEqualTo("PENDING");
    assertThat(launched.getString("createdAt")).endsWith("Z");

    JsonObject done = awaitState(launched.getString("id"), "SUCCEEDED");
    assertThat(done.getValue("result")).isEqualTo(new JsonObject("{\"answer\":42,\"why\":[1,2]}"));
    assertThat(done.getInteger("exitCode")).isZero();
    assertThat(done.fieldNames()).doesNotContain("failure", "health", "queuePosition");
    assertThat(done.getJsonArray("history").stream().map(c -> ((JsonObject) c).getString("state")))
        .startsWith("PENDING")
        .endsWith("SUCCEEDED");
  }

  @Test
  void aFailedTaskShowsItsFailureWithTheReasonsOwnFields() {
    register("boom");
    api.runtime.script(new ToolName("boom"), Scenario.fail(3, List.of("boom")));
    register("unpullable");
    api.runtime.script(new ToolName("unpullable"), Scenario.failToPull());

    JsonObject exited = awaitState(launch("{\"tool\":\"boom\"}").getString("id"), "FAILED");
    JsonObject pull = awaitState(launch("{\"tool\":\"unpullable\"}").getString("id"), "FAILED");

    assertThat(exited.getInteger("exitCode")).isEqualTo(3);
    JsonObject failure = exited.getJsonObject("failure");
    assertThat(failure.getString("kind")).isEqualTo("EXITED_NON_ZERO");
    assertThat(failure.getInteger("exitCode")).isEqualTo(3);
    assertThat(failure.getString("message")).isEqualTo("the process exited with code 3");
    assertThat(failure.fieldNames()).containsExactlyInAnyOrder("kind", "message", "exitCode");
    JsonObject pullFailure = pull.getJsonObject("failure");
    assertThat(pullFailure.getString("kind")).isEqualTo("IMAGE_PULL_FAILED");
    assertThat(pullFailure.getString("image")).isEqualTo("busybox:1");
    assertThat(pullFailure.fieldNames()).contains("detail");
  }

  @Test
  void theSameIdempotencyKeyReplaysTheLaunchAndConflictsForAnotherRequest() {
    register("idem");
    String body = "{\"tool\":\"idem\",\"parameters\":{\"n\":1}}";

    Response first = api.post("/v1/instances", body, "Idempotency-Key", "order-17");
    Response again = api.post("/v1/instances", body, "Idempotency-Key", "order-17");
    Response other =
        api.post("/v1/instances", body.replace("1", "2"), "Idempotency-Key", "order-17");

    assertThat(first.status()).isEqualTo(201);
    assertThat(first.header("Idempotency-Replayed")).isEmpty();
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.header("Idempotency-Replayed")).contains("true");
    assertThat(again.json().getString("id")).isEqualTo(first.json().getString("id"));
    assertThat(other.status()).isEqualTo(409);
    assertThat(other.json().getString("code")).isEqualTo("CONFLICT");
  }

  @Test
  void idempotencyKeysArriveExactlyAsSent() {
    register("keys");
    String body = "{\"tool\":\"keys\"}";

    for (String key : List.of("-5", "50%+off", "\"quoted\"", "[1]")) {
      Response first = api.post("/v1/instances", body, "Idempotency-Key", key);
      Response again = api.post("/v1/instances", body, "Idempotency-Key", key);

      assertThat(first.status()).as(key + ": " + first.body()).isEqualTo(201);
      assertThat(again.status()).as(key).isEqualTo(200);
      assertThat(again.json().getString("id")).isEqualTo(first.json().getString("id"));
    }
    assertThat(api.post("/v1/instances", body, "Idempotency-Key", "x".repeat(256)).detailFields())
        .containsExactly("Idempotency-Key");
  }

  @Test
  void secretValuesAppearInNoResponseAndNoLogRecord() {
    register(
        "vault",
        "{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"},\"secretInputs\":[\"API_TOKEN\"]}");
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    capture.setLevel(Level.ALL);
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      List<Response> responses = new ArrayList<>();
      Response launched =
          api.post(
              "/v1/instances",
              "{\"tool\":\"vault\",\"secrets\":{\"API_TOKEN\":\"" + SECRET + "\"}}");
      responses.add(launched);
      String id = launched.json().getString("id");
      awaitState(id, "SUCCEEDED");
      responses.add(api.get("/v1/instances/" + id));
      responses.add(api.get("/v1/instances?tool=vault"));
      responses.add(api.get("/v1/instances/" + id + "/logs"));
      responses.add(api.get("/v1/instances/" + id + "/logs", "Accept", "text/plain"));
      responses.add(
          api.post(
              "/v1/instances", "{\"tool\":\"vault\",\"secrets\":{\"OTHER\":\"" + SECRET + "\"}}"));
      responses.add(
          api.post(
              "/v1/instances",
              "{\"tool\":\"vault\",\"secrets\":{\"API_TOKEN\":\"" + SECRET + "\"},\"extra\":1}"));
      responses.add(
          api.post(
              "/v1/instances",
              "{\"tool\":\"vault\",\"secrets\":{\"API_TOKEN\":\"" + SECRET + "\"}"));
      responses.add(
          api.post(
              "/v1/instances",
              "{\"tool\":\"vault\",\"secrets\":{\"API_TOKEN\":\"" + SECRET + "\", \"N\": 5}}"));

      assertThat(launched.status()).isEqualTo(201);
      assertThat(launched.json().getJsonArray("secretNames")).containsExactly("API_TOKEN");
      assertThat(responses)
          .extracting(Response::status)
          .containsExactly(201, 200, 200, 200, 200, 400, 400, 400, 400);
      assertThat(responses).allSatisfy(r -> assertThat(r.body()).doesNotContain(SECRET));
      assertThat(records)
          .allSatisfy(
              record -> {
                assertThat(String.valueOf(record.getMessage())).doesNotContain(SECRET);
                assertThat(String.valueOf(java.util.Arrays.toString(record.getParameters())))
                    .doesNotContain(SECRET);
              });
    } finally {
      root.removeHandler(capture);
    }
  }

  @Test
  void secretsMayBeGivenByTheReferenceOfASecretWhichTheInstanceShowsByName() {
    register(
        "needs-secret",
        "{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"secretInputs\":[\"KEY\"]}");

    Response launched =
        api.post(
            "/v1/instances", "{\"tool\":\"needs-secret\",\"secretRef\":{\"name\":\"team-keys\"}}");
    String id = launched.json().getString("id");
    // The in-memory runtime has no Secret of that name: the run fails as a cluster's would.
    awaitState(id, "FAILED");
    Response shown = api.get("/v1/instances/" + id);

    assertThat(launched.status()).isEqualTo(201);
    assertThat(launched.json().getJsonArray("secretNames")).containsExactly("KEY");
    assertThat(shown.json().getJsonObject("secretRef").getString("name")).isEqualTo("team-keys");
    assertThat(shown.json().getJsonObject("failure").getString("message"))
        .contains("secret \"team-keys\" not found");
  }

  @Test
  void aSecretReferenceWithValuesOrWithoutAValidNameIsRefused() {
    register(
        "needs-secret",
        "{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"secretInputs\":[\"KEY\"]}");

    Response both =
        api.post(
            "/v1/instances",
            "{\"tool\":\"needs-secret\",\"secrets\":{\"KEY\":\"x\"},"
                + "\"secretRef\":{\"name\":\"team-keys\"}}");
    Response badName =
        api.post(
            "/v1/instances", "{\"tool\":\"needs-secret\",\"secretRef\":{\"name\":\"Team Keys\"}}");
    Response noName = api.post("/v1/instances", "{\"tool\":\"needs-secret\",\"secretRef\":{}}");

    assertThat(both.status()).isEqualTo(400);
    assertThat(both.detailFields()).containsExactly("secretRef");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.detailFields()).containsExactly("secretRef.name");
    assertThat(noName.status()).isEqualTo(400);
  }

  @Test
  void missingAndUnknownSecretsAreNamed() {
    register(
        "needs-secret",
        "{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"secretInputs\":[\"KEY\"]}");

    Response r =
        api.post("/v1/instances", "{\"tool\":\"needs-secret\",\"secrets\":{\"OTHER\":\"x\"}}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.detailFields()).containsExactlyInAnyOrder("secrets.KEY", "secrets.OTHER");
  }

  @Test
  void launchingAnUnknownToolOrVersionIsNotFound() {
    register("known");

    Response unknown = api.post("/v1/instances", "{\"tool\":\"unknown\"}");
    Response version = api.post("/v1/instances", "{\"tool\":\"known\",\"version\":9}");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getString("code")).isEqualTo("TOOL_NOT_FOUND");
    assertThat(unknown.json().getString("message")).isEqualTo("tool 'unknown' is not registered");
    assertThat(version.status()).isEqualTo(404);
  }

  @Test
  void aLaunchWithWrongTypesListsEveryField() {
    Response r =
        api.post(
            "/v1/instances",
            "{\"tool\":5,\"version\":\"two\",\"parameters\":[1],\"secrets\":{\"A\":1}}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.detailFields())
        .containsExactlyInAnyOrder("tool", "version", "parameters", "secrets.A");
    assertThat(api.post("/v1/instances", "{\"tool\":\"Bad Name\"}").detailFields())
        .containsExactly("tool");
    assertThat(api.post("/v1/instances", "{}").detailFields()).containsExactly("tool");
  }

  @Test
  void parametersKeepAnyJsonShapeExactly() {
    register("shapes");
    String parameters =
        "{\"text\":\"naïve"
            + " ☃\",\"exact\":1.50,\"big\":123456789012345678901234567890,\"tiny\":1e-30,"
            + "\"flag\":true,\"list\":[1,\"two\",{\"three\":[3]}],\"nested\":{\"deeper\":{\"deepest\":{}}}}";

    Response r =
        api.post("/v1/instances", "{\"tool\":\"shapes\",\"parameters\":" + parameters + "}");

    // Read as text: a JSON parser in the test would itself round 1.50 to 1.5.
    assertThat(r.body())
        .contains("\"exact\":1.50", "\"big\":123456789012345678901234567890", "\"tiny\":1E-30");
    JsonObject back = r.json().getJsonObject("parameters");
    assertThat(back.getString("text")).isEqualTo("naïve ☃");
    assertThat(back.getJsonArray("list")).isEqualTo(new JsonArray("[1,\"two\",{\"three\":[3]}]"));
    assertThat(back.getBoolean("flag")).isTrue();
  }

  @Test
  void parametersThatNestTooDeeplyOrHoldNullAreRefused() {
    register("deep");
    Response tooDeep =
        api.post("/v1/instances", "{\"tool\":\"deep\",\"parameters\":{\"x\":" + nested(40) + "}}");
    Response deeperThanTheReader =
        api.post("/v1/instances", "{\"tool\":\"deep\",\"parameters\":{\"x\":" + nested(700) + "}}");
    Response deeperThanAnything =
        api.post(
            "/v1/instances", "{\"tool\":\"deep\",\"parameters\":{\"x\":" + nested(5000) + "}}");
    Response withNull =
        api.post("/v1/instances", "{\"tool\":\"deep\",\"parameters\":{\"a\":{\"b\":null}}}");

    assertThat(tooDeep.status()).isEqualTo(400);
    assertThat(tooDeep.body()).contains("nests deeper than 32 levels");
    assertThat(deeperThanTheReader.status()).isEqualTo(400);
    assertThat(deeperThanAnything.status()).isEqualTo(400);
    assertThat(withNull.status()).isEqualTo(400);
    assertThat(withNull.detailFields()).containsExactly("parameters.a.b");
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "1" + "]".repeat(depth);
  }

  @Test
  void anUnknownInstanceIsNotFoundAndAMalformedIdIsInvalid() {
    Response unknown = api.get("/v1/instances/0193a9b2-7c1d-7aaa-8bbb-0123456789ab");
    Response malformed = api.get("/v1/instances/not-an-id");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.json().getString("code")).isEqualTo("INSTANCE_NOT_FOUND");
    assertThat(api.post("/v1/instances/0193a9b2-7c1d-7aaa-8bbb-0123456789ab/cancel", null).status())
        .isEqualTo(404);
    assertThat(api.get("/v1/instances/0193a9b2-7c1d-7aaa-8bbb-0123456789ab/logs").status())
        .isEqualTo(404);
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.detailFields()).containsExactly("id");
  }

  @Test
  void aRunningInstanceCanBeCancelledButAFinishedOneCannot() {
    register("forever");
    api.runtime.script(new ToolName("forever"), Scenario.neverFinish());
    register("quick");
    String running = launch("{\"tool\":\"forever\"}").getString("id");
    String finished = launch("{\"tool\":\"quick\"}").getString("id");
    awaitState(running, "RUNNING");
    awaitState(finished, "SUCCEEDED");

    Response cancelled = api.post("/v1/instances/" + running + "/cancel", null);
    Response again = api.post("/v1/instances/" + running + "/cancel", null);
    Response tooLate = api.post("/v1/instances/" + finished + "/cancel", null);

    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.json().getString("state")).isEqualTo("CANCELLED");
    assertThat(cancelled.json().getJsonObject("failure").getString("kind")).isEqualTo("CANCELLED");
    assertThat(again.status()).isEqualTo(200);
    assertThat(tooLate.status()).isEqualTo(409);
    assertThat(tooLate.json().getString("code")).isEqualTo("ILLEGAL_TRANSITION");
    assertThat(tooLate.json().getString("message"))
        .contains("cannot transition from SUCCEEDED to CANCELLED");
  }

  @Test
  void instancesAreListedNewestFirstByToolAndStateInPages() {
    register("lister");
    register("lister-failing");
    api.runtime.script(new ToolName("lister-failing"), Scenario.fail(1, List.of()));
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(0, launch("{\"tool\":\"lister\"}").getString("id"));
    }
    String failed = launch("{\"tool\":\"lister-failing\"}").getString("id");
    ids.forEach(id -> awaitState(id, "SUCCEEDED"));
    awaitState(failed, "FAILED");

    JsonObject first = api.get("/v1/instances?tool=lister&limit=2").json();
    JsonObject second =
        api.get("/v1/instances?tool=lister&limit=2&cursor=" + first.getString("nextCursor")).json();

    assertThat(idsOf(first)).containsExactly(ids.get(0), ids.get(1));
    assertThat(idsOf(second)).containsExactly(ids.get(2));
    assertThat(second.containsKey("nextCursor")).isFalse();
    assertThat(idsOf(api.get("/v1/instances?tool=lister-failing&state=FAILED").json()))
        .containsExactly(failed);
    assertThat(idsOf(api.get("/v1/instances?tool=lister-failing&state=SUCCEEDED,RUNNING").json()))
        .isEmpty();
    assertThat(
            idsOf(api.get("/v1/instances?tool=lister-failing&state=SUCCEEDED&state=FAILED").json()))
        .containsExactly(failed);
    assertThat(idsOf(api.get("/v1/instances?tool=lister-failing&state=PENDING,FAILED").json()))
        .containsExactly(failed);
  }

  @Test
  void invalidFiltersAndCursorsAreAllListed() {
    Response r =
        api.get(
            "/v1/instances?tool=Not%20Valid&state=RUNNING,SLEEPING&state=running&cursor=bm90LWFuLWlk");
    Response limit = api.get("/v1/instances?limit=0");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.detailFields()).containsExactlyInAnyOrder("tool", "state", "state", "cursor");
    assertThat(r.body()).contains("'SLEEPING' is not one of PENDING, CREATING");
    // The contract's own checks come first, before the request reaches the mapping.
    assertThat(limit.detailFields()).containsExactly("limit");
  }

  private static List<String> idsOf(JsonObject page) {
    return page.getJsonArray("items").stream().map(i -> ((JsonObject) i).getString("id")).toList();
  }

  @Test
  void logsCanBeReadAsJsonOrAsPlainText() {
    register("talker");
    api.runtime.script(
        new ToolName("talker"), Scenario.succeed(List.of("one", "two", "three"), "{}"));
    String id = launch("{\"tool\":\"talker\"}").getString("id");
    awaitState(id, "SUCCEEDED");
    await()
        .atMost(PATIENCE)
        .until(() -> api.get("/v1/instances/" + id + "/logs").json().getBoolean("complete"));

    JsonObject all = api.get("/v1/instances/" + id + "/logs").json();
    List<String> texts =
        all.getJsonArray("lines").stream().map(l -> ((JsonObject) l).getString("text")).toList();
    int two = texts.indexOf("two");
    JsonObject page = api.get("/v1/instances/" + id + "/logs?from=" + two + "&limit=1").json();
    Response text = api.get("/v1/instances/" + id + "/logs", "Accept", "text/plain");

    assertThat(texts).containsSubsequence("one", "two", "three");
    assertThat(all.getLong("droppedLines")).isZero();
    assertThat(all.getLong("nextFrom")).isEqualTo(texts.size());
    assertThat(page.getJsonArray("lines"))
        .isEqualTo(new JsonArray().add(new JsonObject().put("n", two).put("text", "two")));
    assertThat(page.getLong("nextFrom")).isEqualTo(two + 1);
    assertThat(text.status()).isEqualTo(200);
    assertThat(text.header("Content-Type")).contains("text/plain; charset=utf-8");
    assertThat(text.body()).isEqualTo(String.join("\n", texts) + "\n");
    assertThat(text.header("Toolrun-Next-From")).contains(Integer.toString(texts.size()));
    assertThat(text.header("Toolrun-Log-Complete")).contains("true");
    assertThat(
            api.get("/v1/instances/" + id + "/logs", "Accept", "application/json, text/plain;q=0.5")
                .header("Content-Type"))
        .contains("application/json; charset=utf-8");
    assertThat(api.get("/v1/instances/" + id + "/logs?limit=10001").detailFields())
        .containsExactly("limit");
    assertThat(api.get("/v1/instances/" + id + "/logs?from=-1").detailFields())
        .containsExactly("from");
  }

  @Test
  void readingPastTheEndOfALogPointsAtItsEndNotBeyondIt() {
    register("three-lines");
    api.runtime.script(
        new ToolName("three-lines"), Scenario.succeed(List.of("one", "two", "three"), "{}"));
    String id = launch("{\"tool\":\"three-lines\"}").getString("id");
    awaitState(id, "SUCCEEDED");
    await()
        .atMost(PATIENCE)
        .until(() -> api.get("/v1/instances/" + id + "/logs").json().getBoolean("complete"));
    long end = api.get("/v1/instances/" + id + "/logs").json().getLong("nextFrom");

    JsonObject past = api.get("/v1/instances/" + id + "/logs?from=100").json();
    Response text = api.get("/v1/instances/" + id + "/logs?from=100", "Accept", "text/plain");

    assertThat(past.getJsonArray("lines")).isEmpty();
    assertThat(past.getLong("nextFrom")).isEqualTo(end);
    assertThat(text.body()).isEmpty();
    assertThat(text.header("Toolrun-Next-From")).contains(Long.toString(end));
  }

  @Test
  void logsRefuseQueryParametersTheyDoNotTake() {
    Response r =
        api.get("/v1/instances/0193a9b2-7c1d-7aaa-8bbb-0123456789ab/logs?from=0&follow=true");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(r.json().getJsonArray("details"))
        .containsExactly(
            new JsonObject()
                .put("field", "follow")
                .put(
                    "message",
                    "is not a query parameter of this operation, which takes from, limit"));
  }

  @Test
  void aServiceInstanceShowsItsHealthAndCannotBeCancelled() {
    register(
        "web",
        "{\"mode\":\"SERVICE\",\"image\":{\"name\":\"nginx:1\"},\"service\":{\"port\":8080}}");

    JsonObject launched = launch("{\"tool\":\"web\"}");
    Response cancel = api.post("/v1/instances/" + launched.getString("id") + "/cancel", null);

    assertThat(launched.getString("mode")).isEqualTo("SERVICE");
    assertThat(launched.getJsonObject("health").getInteger("consecutiveFailures")).isZero();
    assertThat(launched.getInteger("restarts")).isZero();
    assertThat(cancel.status()).isEqualTo(409);
    assertThat(cancel.json().getString("code")).isEqualTo("ILLEGAL_TRANSITION");
  }

  @Test
  void aLaunchBeyondCapacityWaitsAndShowsItsPlaceInTheQueue() {
    try (TestApi one = TestApi.start(TestApi.Setup.defaults().withCapacity(new Capacity(1, 1)))) {
      one.put("/v1/tools/slow", "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"}}}");
      one.runtime.script(new ToolName("slow"), Scenario.neverFinish());
      one.post("/v1/instances", "{\"tool\":\"slow\"}");
      one.post("/v1/instances", "{\"tool\":\"slow\"}");

      JsonObject third = one.post("/v1/instances", "{\"tool\":\"slow\"}").json();

      assertThat(third.getString("state")).isEqualTo("PENDING");
      assertThat(third.getInteger("queuePosition")).isEqualTo(2);
      assertThat(
              one.get("/v1/instances/" + third.getString("id")).json().getInteger("queuePosition"))
          .isEqualTo(2);
    }
  }

  @Test
  void droppedLinesAreCountedAndAnnouncedInPlainText() {
    try (TestApi small = TestApi.start(TestApi.Setup.defaults().withMaxLogLines(2))) {
      small.put("/v1/tools/chatty", "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"}}}");
      small.runtime.script(
          new ToolName("chatty"), Scenario.succeed(List.of("a", "b", "c", "d", "e"), "{}"));
      String id = small.post("/v1/instances", "{\"tool\":\"chatty\"}").json().getString("id");
      await()
          .atMost(PATIENCE)
          .until(() -> small.get("/v1/instances/" + id + "/logs").json().getBoolean("complete"));

      JsonObject json = small.get("/v1/instances/" + id + "/logs").json();
      String text = small.get("/v1/instances/" + id + "/logs", "Accept", "text/plain").body();

      long dropped = json.getLong("droppedLines");
      assertThat(dropped).isPositive();
      assertThat(json.getJsonArray("lines")).hasSize(2);
      assertThat(json.getJsonArray("lines").getJsonObject(0).getLong("n")).isEqualTo(dropped);
      assertThat(text).startsWith("[toolrun: " + dropped + " earlier lines were dropped]\n");
      assertThat(text.lines()).hasSize(3);
      assertThat(
              small
                  .get("/v1/instances/" + id + "/logs?from=" + dropped, "Accept", "text/plain")
                  .body())
          .doesNotContain("[toolrun:");
    }
  }
}
