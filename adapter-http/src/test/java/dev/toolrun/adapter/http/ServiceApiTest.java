package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.http.TestApi.Response;
import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.adapter.inmemory.ServiceBehaviour;
import dev.toolrun.application.Capacity;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.tool.ToolName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Service instances through the real API and the in-memory runtime: stopping, and requests. */
class ServiceApiTest {
  private static final Duration PATIENCE = Duration.ofSeconds(5);
  private static final String UNKNOWN = "0193a9b2-7c1d-7aaa-8bbb-0123456789ab";

  private static TestApi api;

  // A service spec with more settings; checked often, so that it is SERVING within the patience.
  private static String service(String settings) {
    return "{\"mode\":\"SERVICE\",\"image\":{\"name\":\"web:1\"},"
        + "\"service\":{\"port\":8080,\"healthIntervalMs\":100"
        + settings
        + "}}";
  }

  /** A serving instance of a new tool {@code name} whose service answers as {@code behaviour}. */
  private static String serving(
      TestApi on, String name, String settings, ServiceBehaviour behaviour) {
    register(on, name, service(settings));
    on.runtime.script(new ToolName(name), behaviour);
    String id = launch(on, name);
    awaitState(on, id, "SERVING");
    return id;
  }

  private static Response forward(TestApi on, String id, String envelope) {
    return on.post("/v1/instances/" + id + "/requests", envelope);
  }

  /** A behaviour that passes its health checks and holds every other request until released. */
  private static ServiceBehaviour holding(List<CompletableFuture<ServiceResponse>> held) {
    ServiceBehaviour hold =
        call -> {
          CompletableFuture<ServiceResponse> answer = new CompletableFuture<>();
          held.add(answer);
          return answer;
        };
    return hold.withHealth(check -> true);
  }

  @BeforeAll
  static void start() {
    api = TestApi.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static void register(TestApi on, String name, String spec) {
    Response r = on.put("/v1/tools/" + name, "{\"spec\":" + spec + "}");
    assertThat(r.status()).as(r.body()).isIn(200, 201);
  }

  private static String launch(TestApi on, String tool) {
    Response r = on.post("/v1/instances", "{\"tool\":\"" + tool + "\"}");
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("id");
  }

  private static JsonObject awaitState(TestApi on, String id, String... states) {
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(on.get("/v1/instances/" + id).json().getString("state"))
                    .isIn((Object[]) states));
    return on.get("/v1/instances/" + id).json();
  }

  private static List<String> states(JsonObject instance) {
    return instance.getJsonArray("history").stream()
        .map(c -> ((JsonObject) c).getString("state"))
        .toList();
  }

  @Test
  void aStoppedServiceEndsStoppedAndStoppingItAgainChangesNothing() {
    register(api, "stoppable", service(""));
    String id = launch(api, "stoppable");
    awaitState(api, id, "RUNNING", "SERVING");

    Response stopped = api.post("/v1/instances/" + id + "/stop", null);

    assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
    assertThat(stopped.json().getString("id")).isEqualTo(id);
    assertThat(stopped.json().getString("state")).isIn("STOPPING", "STOPPED");
    JsonObject done = awaitState(api, id, "STOPPED");
    assertThat(states(done)).endsWith("STOPPING", "STOPPED");
    // Sent as some clients do: an empty body declared as JSON, which the operation ignores.
    Response again = api.post("/v1/instances/" + id + "/stop", "");
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getString("state")).isEqualTo("STOPPED");
    assertThat(states(again.json())).isEqualTo(states(done));
  }

  @Test
  void aTaskIsNotStoppedButCancelled() {
    register(api, "endless", "{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"}}");
    api.runtime.script(new ToolName("endless"), Scenario.neverFinish());
    String id = launch(api, "endless");
    awaitState(api, id, "RUNNING");

    Response r = api.post("/v1/instances/" + id + "/stop", null);

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().getString("code")).isEqualTo("ILLEGAL_TRANSITION");
    assertThat(r.json().getString("message"))
        .isEqualTo(
            "instance %s cannot transition from RUNNING to STOPPING: it is a task, and tasks are"
                    .formatted(id)
                + " cancelled, not stopped (POST /v1/instances/%s/cancel)".formatted(id));
    assertThat(awaitState(api, id, "RUNNING").getString("state")).isEqualTo("RUNNING");
  }

  @Test
  void aServiceIsNotCancelledButStopped() {
    register(api, "uncancellable", service(""));
    String id = launch(api, "uncancellable");

    Response r = api.post("/v1/instances/" + id + "/cancel", null);

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().getString("code")).isEqualTo("ILLEGAL_TRANSITION");
    assertThat(r.json().getString("message"))
        .startsWith("instance " + id + " cannot transition from ")
        .endsWith(
            " to CANCELLED: it is a service, and services are stopped, not cancelled"
                + " (POST /v1/instances/"
                + id
                + "/stop)");
  }

  @Test
  void aFinishedTaskRefusesCancellationSayingItsOutcomeIsFinal() {
    register(api, "finished", "{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"}}");
    String id = launch(api, "finished");
    awaitState(api, id, "SUCCEEDED");

    Response r = api.post("/v1/instances/" + id + "/cancel", null);

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().getString("message"))
        .isEqualTo(
            "instance "
                + id
                + " cannot transition from SUCCEEDED to CANCELLED: it has already ended"
                + " SUCCEEDED, and that outcome is final");
  }

  @Test
  void aWaitingServiceShowsItsPlaceInTheQueueTakesNoRequestsAndStopsAtOnce() {
    try (TestApi one = TestApi.start(TestApi.Setup.defaults().withCapacity(new Capacity(1, 1)))) {
      register(one, "single", service(""));
      launch(one, "single");
      Response second = one.post("/v1/instances", "{\"tool\":\"single\"}");
      String id = second.json().getString("id");

      Response request = one.post("/v1/instances/" + id + "/requests", "{}");
      Response waiting = one.get("/v1/instances?state=PENDING");
      Response stopped = one.post("/v1/instances/" + id + "/stop", null);

      assertThat(second.json().getString("state")).isEqualTo("PENDING");
      assertThat(second.json().getInteger("queuePosition")).isEqualTo(1);
      assertThat(waiting.json().getJsonArray("items"))
          .singleElement()
          .satisfies(i -> assertThat(((JsonObject) i).getInteger("queuePosition")).isEqualTo(1));
      assertThat(request.status()).isEqualTo(409);
      assertThat(request.json().getString("code")).isEqualTo("INSTANCE_NOT_SERVING");
      assertThat(request.json().getString("message")).contains("(state PENDING)");
      assertThat(stopped.status()).isEqualTo(200);
      assertThat(stopped.json().getString("state")).isEqualTo("STOPPED");
      assertThat(stopped.json().fieldNames()).doesNotContain("queuePosition");
      assertThat(states(stopped.json())).containsExactly("PENDING", "STOPPED");
    }
  }

  @Test
  void aToolWithAnActiveInstanceIsNotDeletedUntilTheInstanceHasEnded() {
    register(api, "still-serving", service(""));
    String id = launch(api, "still-serving");
    awaitState(api, id, "SERVING");

    Response refused = api.delete("/v1/tools/still-serving");
    Response stillThere = api.get("/v1/tools/still-serving");
    api.post("/v1/instances/" + id + "/stop", null);
    awaitState(api, id, "STOPPED");
    Response deleted = api.delete("/v1/tools/still-serving");

    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("code")).isEqualTo("CONFLICT");
    assertThat(refused.json().getString("message"))
        .isEqualTo(
            "tool 'still-serving' still has active instances (for example "
                + id
                + ", SERVING); stop or cancel them first");
    assertThat(stillThere.status()).isEqualTo(200);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(api.get("/v1/instances/" + id).json().getString("state")).isEqualTo("STOPPED");
  }

  @Test
  void unknownInstancesAreNotFoundAndMalformedIdsInvalid() {
    Response stop = api.post("/v1/instances/" + UNKNOWN + "/stop", null);
    Response request = api.post("/v1/instances/" + UNKNOWN + "/requests", "{}");
    Response malformed = api.post("/v1/instances/not-an-id/stop", null);

    assertThat(stop.status()).isEqualTo(404);
    assertThat(stop.json().getString("code")).isEqualTo("INSTANCE_NOT_FOUND");
    assertThat(request.status()).isEqualTo(404);
    assertThat(request.json().getString("code")).isEqualTo("INSTANCE_NOT_FOUND");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.detailFields()).containsExactly("id");
  }

  @Test
  void tasksAndStoppedServicesTakeNoRequests() {
    register(api, "busy-task", "{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"}}");
    api.runtime.script(new ToolName("busy-task"), Scenario.neverFinish());
    String task = launch(api, "busy-task");
    awaitState(api, task, "RUNNING");
    register(api, "stopped-service", service(""));
    String service = launch(api, "stopped-service");
    api.post("/v1/instances/" + service + "/stop", null);
    awaitState(api, service, "STOPPED");

    Response toTask = api.post("/v1/instances/" + task + "/requests", "{}");
    Response toStopped = api.post("/v1/instances/" + service + "/requests", "{}");

    assertThat(toTask.status()).isEqualTo(409);
    assertThat(toTask.json().getString("code")).isEqualTo("INSTANCE_NOT_SERVING");
    assertThat(toTask.json().getString("message")).contains("(state RUNNING)", "it is a task");
    assertThat(toStopped.status()).isEqualTo(409);
    assertThat(toStopped.json().getString("message")).contains("(state STOPPED)");
  }

  @Test
  void theEnvelopeCountsAgainstTheApisBodyLimit() {
    try (TestApi small = TestApi.start(TestApi.Setup.defaults().withMaxBodyBytes(1024))) {
      Response r =
          small.post(
              "/v1/instances/" + UNKNOWN + "/requests", "{\"body\":\"" + "x".repeat(2048) + "\"}");

      assertThat(r.status()).isEqualTo(413);
      assertThat(r.json().getString("code")).isEqualTo("PAYLOAD_TOO_LARGE");
    }
  }

  @Test
  void aRequestReachesTheServiceAndItsAnswerComesBackInAnEnvelope() {
    String id = serving(api, "echo", "", ServiceBehaviour.echo());

    Response r =
        forward(
            api,
            id,
            "{\"method\":\"POST\",\"path\":\"/echo?x=1\",\"headers\":{\"Content-Type\":"
                + "\"application/json\",\"X-Trace\":\"abc\"},\"body\":\"{\\\"hello\\\":\\\"world\\\"}\"}");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject envelope = r.json();
    assertThat(envelope.getInteger("status")).isEqualTo(200);
    assertThat(envelope.getJsonObject("headers").getJsonArray("content-type"))
        .isEqualTo(new JsonArray().add("application/json"));
    assertThat(envelope.getLong("durationMs")).isNotNegative();
    JsonObject echoed = new JsonObject(envelope.getString("body"));
    assertThat(echoed.getString("method")).isEqualTo("POST");
    assertThat(echoed.getString("path")).isEqualTo("/echo?x=1");
    assertThat(echoed.getJsonObject("headers"))
        .isEqualTo(
            new JsonObject()
                .put("content-type", new JsonArray().add("application/json"))
                .put("x-trace", new JsonArray().add("abc")));
    assertThat(echoed.getString("body")).isEqualTo("{\"hello\":\"world\"}");
    assertThat(forward(api, id, "{}").json().getInteger("status")).isEqualTo(200);
  }

  @Test
  void aBinaryBodyMakesTheRoundTripAsBase64() {
    ServiceBehaviour mirror =
        call ->
            CompletableFuture.completedFuture(
                new ServiceResponse(
                    200,
                    Map.of("content-type", List.of("application/octet-stream")),
                    call.request().body()));
    String id = serving(api, "mirror", "", mirror.withHealth(check -> true));
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) (255 - i);
    }
    String base64 = Base64.getEncoder().encodeToString(everyByte);

    Response r = forward(api, id, "{\"method\":\"PUT\",\"bodyBase64\":\"" + base64 + "\"}");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("bodyBase64")).isEqualTo(base64);
    assertThat(r.json().fieldNames()).doesNotContain("body");
  }

  @Test
  void theServicesOwnErrorStatusIsPassedThroughInsideA200() {
    ServiceBehaviour failing =
        call ->
            CompletableFuture.completedFuture(ServiceBehaviour.json(500, "{\"error\":\"boom\"}"));
    String id = serving(api, "broken-inside", "", failing.withHealth(check -> true));

    Response r = forward(api, id, "{\"path\":\"/work\"}");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getInteger("status")).isEqualTo(500);
    assertThat(r.json().getString("body")).isEqualTo("{\"error\":\"boom\"}");
  }

  @Test
  void aServiceThatNeverAnswersTimesOut() {
    String id =
        serving(
            api,
            "mute",
            ",\"requestTimeoutMs\":300",
            ServiceBehaviour.silent().withHealth(check -> true));

    Response r = forward(api, id, "{}");

    assertThat(r.status()).as(r.body()).isEqualTo(504);
    assertThat(r.json().getString("code")).isEqualTo("REQUEST_TIMED_OUT");
    assertThat(r.json().getString("message")).contains("did not answer within 300 ms");
  }

  @Test
  void aServiceThatFailsToAnswerIsABadGateway() {
    ServiceBehaviour crashing =
        call -> CompletableFuture.failedFuture(new IllegalStateException("segfault"));
    String id = serving(api, "crashing", "", crashing.withHealth(check -> true));

    Response r = forward(api, id, "{}");

    assertThat(r.status()).as(r.body()).isEqualTo(502);
    assertThat(r.json().getString("code")).isEqualTo("UPSTREAM_FAILED");
    assertThat(r.json().getString("message")).contains(id);
  }

  @Test
  void requestsBeyondWhatTheServiceTakesAreTooManyAndSayWhenToRetry() {
    List<CompletableFuture<ServiceResponse>> held = new CopyOnWriteArrayList<>();
    // One in flight and ten waiting for it; the rest are refused at once.
    String id =
        serving(
            api, "narrow", ",\"maxConcurrentRequests\":1,\"requestTimeoutMs\":8000", holding(held));
    int sent = 30;

    List<CompletableFuture<Response>> responses = new ArrayList<>();
    for (int i = 0; i < sent; i++) {
      responses.add(
          api.sendAsync("POST", "/v1/instances/" + id + "/requests", "{\"path\":\"/" + i + "\"}"));
    }
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                responses.stream().filter(f -> f.isDone() && f.join().status() == 429).count()
                    == sent - 11);
    // Each answer lets the next waiting request in.
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              held.forEach(answer -> answer.complete(ServiceBehaviour.json(200, "{}")));
              return responses.stream().allMatch(CompletableFuture::isDone);
            });

    List<Response> refused =
        responses.stream().map(CompletableFuture::join).filter(r -> r.status() == 429).toList();
    assertThat(refused).hasSize(sent - 11);
    assertThat(refused)
        .allSatisfy(
            r -> {
              assertThat(r.json().getString("code")).isEqualTo("TOO_MANY_REQUESTS");
              assertThat(r.header("Retry-After")).contains("1");
            });
    assertThat(responses.stream().map(CompletableFuture::join).filter(r -> r.status() == 200))
        .hasSize(11);
  }

  @Test
  void hundredsOfSlowRequestsHoldNoWorkerThread() {
    try (TestApi few = TestApi.start(TestApi.Setup.defaults().withWorkerPoolSize(2))) {
      List<CompletableFuture<ServiceResponse>> held = new CopyOnWriteArrayList<>();
      String id = serving(few, "slow", ",\"maxConcurrentRequests\":200", holding(held));
      int slow = 200;

      List<CompletableFuture<Response>> responses = new ArrayList<>();
      for (int i = 0; i < slow; i++) {
        responses.add(few.sendAsync("POST", "/v1/instances/" + id + "/requests", "{}"));
      }

      await().atMost(PATIENCE).until(() -> held.size() == slow);
      assertThat(few.get("/v1/tools").status()).isEqualTo(200);
      assertThat(responses).noneMatch(CompletableFuture::isDone);
      held.forEach(answer -> answer.complete(ServiceBehaviour.json(200, "{\"late\":true}")));
      assertThat(responses)
          .allSatisfy(
              f -> {
                assertThat(f.join().status()).isEqualTo(200);
                assertThat(f.join().json().getString("body")).isEqualTo("{\"late\":true}");
              });
    }
  }

  @Test
  void stoppingLetsTheRequestsInFlightFinishButTakesNoNewOnes() {
    List<CompletableFuture<ServiceResponse>> held = new CopyOnWriteArrayList<>();
    String id = serving(api, "draining", "", holding(held));
    CompletableFuture<Response> inFlight =
        api.sendAsync("POST", "/v1/instances/" + id + "/requests", "{}");
    await().atMost(PATIENCE).until(() -> held.size() == 1);

    Response stopping = api.post("/v1/instances/" + id + "/stop", null);
    Response refused = forward(api, id, "{}");
    held.get(0).complete(ServiceBehaviour.json(200, "{\"last\":true}"));

    assertThat(stopping.status()).isEqualTo(200);
    assertThat(stopping.json().getString("state")).isEqualTo("STOPPING");
    assertThat(refused.status()).isEqualTo(409);
    assertThat(refused.json().getString("code")).isEqualTo("INSTANCE_NOT_SERVING");
    assertThat(refused.json().getString("message")).contains("(state STOPPING)");
    assertThat(inFlight.join().json().getString("body")).isEqualTo("{\"last\":true}");
    awaitState(api, id, "STOPPED");
  }

  @Test
  void aServiceThatIsNotHealthyYetTakesNoRequests() {
    register(api, "sickly", service(""));
    api.runtime.script(new ToolName("sickly"), ServiceBehaviour.echo().withHealth(check -> false));
    String id = launch(api, "sickly");
    awaitState(api, id, "RUNNING");

    Response r = forward(api, id, "{}");

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().getString("code")).isEqualTo("INSTANCE_NOT_SERVING");
    assertThat(r.json().getString("message")).contains("(state RUNNING)");
  }

  @Test
  void aServiceThatFailedCannotBeStopped() {
    register(api, "never-healthy", service(",\"startTimeoutSeconds\":1"));
    api.runtime.script(
        new ToolName("never-healthy"), ServiceBehaviour.echo().withHealth(check -> false));
    String id = launch(api, "never-healthy");
    awaitState(api, id, "FAILED");

    Response r = api.post("/v1/instances/" + id + "/stop", null);

    assertThat(r.status()).isEqualTo(409);
    assertThat(r.json().getString("code")).isEqualTo("ILLEGAL_TRANSITION");
    assertThat(r.json().getString("message"))
        .isEqualTo(
            "instance "
                + id
                + " cannot transition from FAILED to STOPPING: it has already ended FAILED, and"
                + " that outcome is final");
  }
}
