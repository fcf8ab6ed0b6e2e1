package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.http.TestApi.Response;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.InstanceNotServingException;
import dev.toolrun.domain.error.RequestTimeoutException;
import dev.toolrun.domain.error.TooManyRequestsException;
import dev.toolrun.domain.error.UpstreamFailedException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.ports.in.ExecuteRequestUseCase.ExecuteRequestCommand;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The requests endpoint in front of a stub use case, which answers when and how each test says: the
 * envelopes both ways, the bridge from the use case's stage to the event loop, and toolrun's own
 * failures. Two worker threads only, so that any endpoint holding one while it waits would show.
 */
class ServiceRequestsTest {
  private static final String ID = "0193a9b2-7c1d-7aaa-8bbb-0123456789ab";
  private static final String REQUESTS = "/v1/instances/" + ID + "/requests";
  private static final int WORKERS = 2;

  private static final List<ExecuteRequestCommand> RECEIVED = new CopyOnWriteArrayList<>();
  private static final AtomicReference<
          Function<ExecuteRequestCommand, CompletionStage<ServiceResponse>>>
      ANSWER = new AtomicReference<>();

  private static TestApi api;

  @BeforeAll
  static void start() {
    api =
        TestApi.start(
            TestApi.Setup.defaults()
                .withWorkerPoolSize(WORKERS)
                .withExecute(
                    command -> {
                      RECEIVED.add(command);
                      return ANSWER.get().apply(command);
                    }));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @BeforeEach
  void reset() {
    RECEIVED.clear();
    ANSWER.set(command -> CompletableFuture.completedFuture(ok("")));
  }

  private static ServiceResponse ok(String body) {
    return new ServiceResponse(200, Map.of(), body.getBytes(StandardCharsets.UTF_8));
  }

  private static Response forward(String envelope) {
    return api.post(REQUESTS, envelope);
  }

  private static ExecuteRequestCommand onlyCommand() {
    assertThat(RECEIVED).hasSize(1);
    return RECEIVED.get(0);
  }

  @Test
  void theServicesAnswerComesInAnEnvelopeWhateverItsStatus() {
    ANSWER.set(
        command ->
            CompletableFuture.completedFuture(
                new ServiceResponse(
                    500,
                    Map.of(
                        "Content-Type", List.of("text/plain; charset=utf-8"),
                        "X-Trace", List.of("a", "b"),
                        "Connection", List.of("close")),
                    "it broke".getBytes(StandardCharsets.UTF_8))));

    Response r =
        forward(
            "{\"method\":\"POST\",\"path\":\"/echo?x=1\",\"headers\":{\"Content-Type\":"
                + "\"application/json\",\"X-Token\":\"t\"},\"body\":\"{\\\"a\\\":1}\"}");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonObject envelope = r.json();
    assertThat(envelope.getInteger("status")).isEqualTo(500);
    assertThat(envelope.getJsonObject("headers"))
        .isEqualTo(
            new JsonObject()
                .put("content-type", new JsonArray().add("text/plain; charset=utf-8"))
                .put("x-trace", new JsonArray().add("a").add("b")));
    assertThat(envelope.getString("body")).isEqualTo("it broke");
    assertThat(envelope.fieldNames()).doesNotContain("bodyBase64");
    assertThat(envelope.getLong("durationMs")).isNotNegative();
    ExecuteRequestCommand sent = onlyCommand();
    assertThat(sent.id()).isEqualTo(new InstanceId(ID));
    assertThat(sent.request().method()).isEqualTo("POST");
    assertThat(sent.request().path()).isEqualTo("/echo?x=1");
    assertThat(sent.request().headers())
        .isEqualTo(Map.of("content-type", List.of("application/json"), "x-token", List.of("t")));
    assertThat(new String(sent.request().body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
  }

  @Test
  void anEmptyEnvelopeIsAGetOfTheRootWithoutBody() {
    Response r = forward("{}");

    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json().getString("body")).isEmpty();
    ExecuteRequestCommand sent = onlyCommand();
    assertThat(sent.request().method()).isEqualTo("GET");
    assertThat(sent.request().path()).isEqualTo("/");
    assertThat(sent.request().headers()).isEmpty();
    assertThat(sent.request().body()).isEmpty();
  }

  @Test
  void binaryBodiesTravelAsBase64BothWaysAndTextAsText() {
    ANSWER.set(
        command ->
            CompletableFuture.completedFuture(
                new ServiceResponse(200, Map.of(), command.request().body())));
    byte[] everyByte = new byte[256];
    for (int i = 0; i < everyByte.length; i++) {
      everyByte[i] = (byte) i;
    }
    String base64 = Base64.getEncoder().encodeToString(everyByte);

    Response binary = forward("{\"method\":\"PUT\",\"bodyBase64\":\"" + base64 + "\"}");
    Response text = forward("{\"method\":\"PUT\",\"body\":\"naïve ☃ \\u0000 🎉\"}");

    assertThat(binary.json().getString("bodyBase64")).isEqualTo(base64);
    assertThat(binary.json().fieldNames()).doesNotContain("body");
    assertThat(RECEIVED.get(0).request().body()).isEqualTo(everyByte);
    assertThat(text.json().getString("body")).isEqualTo("naïve ☃ \u0000 🎉");
    assertThat(text.json().fieldNames()).doesNotContain("bodyBase64");
  }

  @Test
  void connectionHeadersAreNotForwarded() {
    forward(
        "{\"headers\":{\"Host\":\"evil.example\",\"Connection\":\"close\",\"Transfer-Encoding\":"
            + "\"chunked\",\"Accept\":\"*/*\"}}");

    assertThat(onlyCommand().request().headers()).containsOnlyKeys("accept");
  }

  @Test
  void noWorkerThreadWaitsForAServicesAnswer() {
    List<CompletableFuture<ServiceResponse>> pending = new CopyOnWriteArrayList<>();
    ANSWER.set(
        command -> {
          CompletableFuture<ServiceResponse> answer = new CompletableFuture<>();
          pending.add(answer);
          // Answers with its own path, so each client can tell its answer from the others'.
          return answer.thenApply(ignored -> ok(command.request().path()));
        });
    int slow = 20 * WORKERS;

    List<CompletableFuture<Response>> responses = new ArrayList<>();
    for (int i = 0; i < slow; i++) {
      responses.add(api.sendAsync("POST", REQUESTS, "{\"path\":\"/slow/" + i + "\"}"));
    }

    // Each request reached the use case through a worker; with two workers that is only possible
    // when none of them stays to wait for an answer.
    await().atMost(Duration.ofSeconds(5)).until(() -> pending.size() == slow);
    Response meanwhile = api.get("/v1/tools");
    assertThat(meanwhile.status()).isEqualTo(200);
    assertThat(responses).noneMatch(CompletableFuture::isDone);

    // Completed from this thread, which is no Vert.x thread.
    pending.forEach(answer -> answer.complete(null));
    for (int i = 0; i < slow; i++) {
      Response r = responses.get(i).join();
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.json().getString("body")).isEqualTo("/slow/" + i);
    }
  }

  @Test
  void toolrunsOwnFailuresKeepTheErrorShape() {
    InstanceId id = new InstanceId(ID);
    List<Object[]> cases =
        List.of(
            new Object[] {new InstanceNotFoundException(id), 404, "INSTANCE_NOT_FOUND"},
            new Object[] {
              new InstanceNotServingException(id, InstanceState.STARTING, "not yet"),
              409,
              "INSTANCE_NOT_SERVING"
            },
            new Object[] {
              new TooManyRequestsException(id, 10, Duration.ofMillis(1500)),
              429,
              "TOO_MANY_REQUESTS"
            },
            new Object[] {
              new RequestTimeoutException(id, Duration.ofSeconds(30)), 504, "REQUEST_TIMED_OUT"
            },
            new Object[] {
              new UpstreamFailedException(id, "connection refused", null), 502, "UPSTREAM_FAILED"
            });

    for (Object[] c : cases) {
      RuntimeException failure = (RuntimeException) c[0];
      // Failed directly, failed through a derived stage (wrapped), and thrown at once.
      List<Function<ExecuteRequestCommand, CompletionStage<ServiceResponse>>> ways =
          List.of(
              command -> CompletableFuture.failedFuture(failure),
              command ->
                  CompletableFuture.<ServiceResponse>failedFuture(failure)
                      .thenApply(response -> response),
              command -> {
                throw failure;
              });
      for (var way : ways) {
        ANSWER.set(way);

        Response r = forward("{}");

        assertThat(r.status()).as(r.body()).isEqualTo(c[1]);
        assertThat(r.json().getString("code")).isEqualTo(c[2]);
        assertThat(r.json().getString("message")).isEqualTo(failure.getMessage());
        assertThat(r.header("Content-Type")).contains("application/json; charset=utf-8");
      }
    }
    ANSWER.set(
        command ->
            CompletableFuture.failedFuture(
                new TooManyRequestsException(id, 10, Duration.ofMillis(1500))));
    assertThat(forward("{}").header("Retry-After")).contains("2");
    ANSWER.set(
        command ->
            CompletableFuture.failedFuture(
                new InstanceNotServingException(id, InstanceState.STARTING, "not yet")));
    assertThat(forward("{}").json().getString("message")).contains("STARTING");
  }

  @Test
  void aBugBehindTheStageIsAnInternalErrorThatLeaksNothing() {
    ANSWER.set(
        command ->
            CompletableFuture.supplyAsync(
                () -> {
                  throw new IllegalStateException("password=hunter2");
                }));

    Response r = forward("{}");

    assertThat(r.status()).isEqualTo(500);
    assertThat(r.json().getString("code")).isEqualTo("INTERNAL_ERROR");
    assertThat(r.body()).doesNotContain("hunter2", "IllegalStateException");
  }

  @Test
  void aBadEnvelopeListsEveryViolationAndReachesNoService() {
    Response r =
        api.post(
            "/v1/instances/not-an-id/requests",
            "{\"method\":\"FETCH\",\"path\":\"echo\",\"headers\":{\"X-Ok\":\"fine\","
                + "\"X-Bad\":\"a\\r\\nInjected: 1\",\"Bad Name\":\"v\"},"
                + "\"body\":\"x\",\"bodyBase64\":\"eA==\"}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(r.detailFields())
        .containsExactlyInAnyOrder(
            "id", "method", "path", "headers", "headers.X-Bad", "bodyBase64");
    assertThat(r.body())
        .contains(
            "must be one of [DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT]",
            "must start with '/'",
            "'Bad Name' is not a valid header name",
            "must be a single line of visible ASCII characters",
            "cannot be given together with body");
    assertThat(RECEIVED).isEmpty();
  }

  @Test
  void eachEnvelopeRuleIsCheckedOnItsOwn() {
    Map<String, String> fieldOf =
        Map.of(
            "{\"method\":\"post\"}",
            "method",
            "{\"path\":\"/a b\"}",
            "path",
            "{\"path\":\"/" + "a".repeat(8192) + "\"}",
            "path",
            "{\"bodyBase64\":\"not base64!\"}",
            "bodyBase64",
            "{\"body\":\"\\ud800\"}",
            "body",
            "{\"headers\":{\"X-Name\":\"caf\\u00e9\"}}",
            "headers.X-Name",
            "{\"headers\":{\"X-Nul\":\"a\\u0000b\"}}",
            "headers.X-Nul",
            "{\"headers\":{\"X\\nY\":\"v\"}}",
            "headers");

    fieldOf.forEach(
        (envelope, field) -> {
          Response r = forward(envelope);
          assertThat(r.status()).as(envelope + ": " + r.body()).isEqualTo(400);
          assertThat(r.detailFields()).as(envelope).containsExactly(field);
        });
    assertThat(RECEIVED).isEmpty();
  }

  @Test
  void theContractChecksTypesAndUnknownFieldsFirst() {
    Response types =
        forward("{\"method\":5,\"headers\":{\"a\":1},\"body\":[\"x\"],\"colour\":\"red\"}");
    Response notAnObject = forward("[]");
    Response malformed = forward("{\"method\":");
    Response none = api.post(REQUESTS, null);
    Response text = api.post(REQUESTS, "{}", "Content-Type", "text/plain");

    assertThat(types.status()).isEqualTo(400);
    assertThat(types.detailFields())
        .containsExactlyInAnyOrder("method", "headers.a", "body", "colour");
    assertThat(notAnObject.detailFields()).containsExactly("body");
    assertThat(malformed.json().getString("code")).isEqualTo("MALFORMED_REQUEST");
    assertThat(none.status()).isEqualTo(400);
    assertThat(none.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(text.status()).isEqualTo(415);
    assertThat(RECEIVED).isEmpty();
  }
}
