package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.http.TestApi.Response;
import dev.toolrun.adapter.http.contract.ApiContract;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpBehaviourTest {
  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.start(TestApi.Setup.defaults().withMaxBodyBytes(1024));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static void assertError(Response r, int status, String code) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.header("Content-Type")).contains("application/json; charset=utf-8");
    JsonObject error = r.json();
    assertThat(error.fieldNames())
        .containsExactlyInAnyOrder("status", "code", "message", "details");
    assertThat(error.getInteger("status")).isEqualTo(status);
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
  }

  @Test
  void healthAndTheDocumentNeedNoToken() {
    Response live = api.get("/health/live", "Authorization", null);
    Response ready = api.get("/health/ready", "Authorization", null);
    Response document = api.get("/openapi.yaml", "Authorization", null);

    assertThat(live.status()).isEqualTo(200);
    assertThat(live.json()).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(ready.json()).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(document.status()).isEqualTo(200);
    assertThat(document.header("Content-Type")).contains("application/yaml; charset=utf-8");
    assertThat(document.body()).startsWith("openapi: 3.0.3");
    assertThat(
            ApiContract.parse(document.body().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .getJsonObject("paths"))
        .isNotNull();
  }

  @Test
  void everythingUnderV1NeedsTheRightBearerToken() {
    Response none = api.get("/v1/tools", "Authorization", null);
    Response wrong = api.get("/v1/tools", "Authorization", "Bearer not-the-token");
    Response basic = api.get("/v1/tools", "Authorization", "Basic dXNlcjpwYXNz");
    Response prefix =
        api.get("/v1/tools", "Authorization", "Bearer " + TestApi.TOKEN.substring(0, 5));
    Response unknownRoute = api.get("/v1/nothing-here", "Authorization", null);
    Response sneaky = api.get("/health/../v1/tools", "Authorization", null);

    for (Response r : List.of(none, wrong, basic, prefix, unknownRoute, sneaky)) {
      assertError(r, 401, "UNAUTHORIZED");
      assertThat(r.header("WWW-Authenticate"))
          .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer realm=\"toolrun\""));
    }
    assertThat(wrong.header("WWW-Authenticate"))
        .contains("Bearer realm=\"toolrun\", error=\"invalid_token\"");
    assertThat(api.get("/v1/tools", "Authorization", "bearer " + TestApi.TOKEN).status())
        .isEqualTo(200);
  }

  @Test
  void anAnonymousCallerIsRefusedBeforeItsBodyIsRead() {
    Response r = api.put("/v1/tools/big", "x".repeat(4096), "Authorization", null);

    assertError(r, 401, "UNAUTHORIZED");
  }

  @Test
  void anUnknownRouteIsNotFoundInTheErrorShape() {
    assertError(api.get("/v1/nothing-here"), 404, "NOT_FOUND");
    assertError(api.get("/nothing-here", "Authorization", null), 404, "NOT_FOUND");
    assertThat(api.get("/v1/nothing-here").json().getJsonArray("details")).isEmpty();
  }

  @Test
  void aWrongMethodIsNotAllowedAndSaysWhatIs() {
    Response r = api.send("PATCH", "/v1/tools/x", null);
    Response document = api.send("POST", "/openapi.yaml", null);

    assertError(r, 405, "METHOD_NOT_ALLOWED");
    assertThat(r.header("Allow")).contains("DELETE, GET, HEAD, PUT");
    assertError(document, 405, "METHOD_NOT_ALLOWED");
  }

  @Test
  void aBodyOverTheLimitIsTooLarge() {
    String big =
        "{\"description\":\""
            + "x".repeat(2048)
            + "\",\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"}}}";

    Response r = api.put("/v1/tools/big", big);

    assertError(r, 413, "PAYLOAD_TOO_LARGE");
    assertThat(r.json().getString("message")).contains("1024 bytes");
  }

  @Test
  void queryParametersWithoutANameOrValueAreJudgedLikeAnyOther() {
    Response nameless = api.get("/health/live?=x", "Authorization", null);
    Response empty = api.get("/health/live?&&", "Authorization", null);
    Response valueless = api.get("/v1/tools?limit");

    assertError(nameless, 400, "VALIDATION_FAILED");
    assertThat(nameless.json().getJsonArray("details").getJsonObject(0).getString("message"))
        .isEqualTo("is not a query parameter of this operation, which takes none");
    assertThat(empty.status()).isEqualTo(200);
    assertError(valueless, 400, "VALIDATION_FAILED");
  }

  @Test
  void aReadValidatedOnTheEventLoopRefusesWhatTheValidatorRefused() {
    String path = "/v1/instances/00000000-0000-4000-8000-000000000000";
    String auth = "Authorization: Bearer " + TestApi.TOKEN + "\r\n";

    Response unknown = api.get(path + "?follow=true");

    assertError(unknown, 400, "VALIDATION_FAILED");
    assertThat(unknown.json().getJsonArray("details").getJsonObject(0).getString("message"))
        .isEqualTo("is not a query parameter of this operation, which takes none");
    assertThat(api.sendRaw("GET " + path + "?a=%zz HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"))
        .isEqualTo(400);
    assertError(api.get(path), 404, "INSTANCE_NOT_FOUND");
    assertError(api.get("/v1/instances/not-an-id"), 400, "VALIDATION_FAILED");
  }

  @Test
  void requestsThatCannotBeDecodedAreMalformedNotErrors() {
    String auth = "Authorization: Bearer " + TestApi.TOKEN + "\r\n";

    assertThat(api.sendRaw("GET /v1/tools?cursor=%zz HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"))
        .isEqualTo(400);
    assertThat(api.sendRaw("GET /v1/tools/%zz HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n"))
        .isEqualTo(400);
    assertThat(api.sendRaw("GET /v1/tools HTTP/1.1\r\n" + auth + "\r\n")).isEqualTo(400);
  }

  @Test
  void requestsTheHttpCodecRefusesAreAnsweredInTheErrorShapeOnAClosingConnection() {
    Response longLine = api.get("/v1/tools/" + "a".repeat(5000));
    Response bigHeaders = api.get("/v1/tools", "X-Big", "v".repeat(9000));
    String notHttp =
        api.sendRawForAnswer("GET /v1/tools HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");

    assertError(longLine, 414, "MALFORMED_REQUEST");
    assertThat(longLine.json().getString("message")).contains("4096 bytes");
    assertThat(longLine.header("Connection")).contains("close");
    assertError(bigHeaders, 431, "MALFORMED_REQUEST");
    assertThat(bigHeaders.json().getString("message")).contains("8192 bytes");
    assertThat(notHttp)
        .startsWith("HTTP/1.1 400 Bad Request\r\n")
        .containsIgnoringCase("content-type: application/json; charset=utf-8\r\n")
        .containsIgnoringCase("connection: close\r\n")
        .endsWith(
            "{\"status\":400,\"code\":\"MALFORMED_REQUEST\","
                + "\"message\":\"the request is not valid HTTP\",\"details\":[]}");
    assertThat(api.get("/v1/tools").status()).isEqualTo(200);
  }

  @Test
  void aBodyWithBrokenChunkedFramingIsTheClientsMistakeNotAnInternalError() {
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
    Logger root = Logger.getLogger("");
    root.addHandler(capture);
    try {
      // The codec closes the connection on such a body; whatever it lets through must not be a 500.
      String answer =
          api.sendRawForAnswer(
              "PUT /v1/tools/chunky HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + TestApi.TOKEN
                  + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + "zz\r\nnot a chunk\r\n0\r\n\r\n");

      assertThat(answer).doesNotContain("INTERNAL_ERROR", " 500 ");
      assertThat(records)
          .noneSatisfy(r -> assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.SEVERE));
      assertThat(api.get("/v1/tools").status()).isEqualTo(200);
    } finally {
      root.removeHandler(capture);
    }
  }

  @Test
  void queryValuesArriveExactlyAsSent() {
    Response plus = api.get("/v1/instances?tool=a%2Bb");
    Response percent = api.get("/v1/instances?tool=50%25");

    assertThat(plus.status()).isEqualTo(400);
    assertThat(plus.body()).contains("'a+b' is not a valid tool name");
    assertThat(percent.body()).contains("'50%' is not a valid tool name");
  }

  @Test
  void capabilitiesDescribeTheRuntimeAndItsLimits() {
    Response r = api.get("/v1/runtime/capabilities");

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json())
        .isEqualTo(
            new JsonObject(
                "{\"runtime\":\"in-memory\",\"scaling\":true,\"healthChecks\":true,\"metrics\":false,"
                    + "\"hotReload\":false,\"persistentStorage\":false,\"networkIsolation\":false,\"restrictedPodSecurity\":false,"
                    + "\"protocols\":[\"http\"],\"maxConcurrentInstances\":100,\"maxConcurrentTasks\":100,\"pools\":[]}"));
  }

  @Test
  void aPoolIsResizedWithoutARestartAndShownInTheCapabilities() {
    Response grown = api.put("/v1/runtime/pools/greeter", "{\"size\":3}");

    assertThat(grown.status()).isEqualTo(200);
    assertThat(grown.json().getString("tool")).isEqualTo("greeter");
    assertThat(grown.json().getInteger("size")).isEqualTo(3);
    assertThat(
            api.get("/v1/runtime/capabilities")
                .json()
                .getJsonArray("pools")
                .getJsonObject(0)
                .getInteger("size"))
        .isEqualTo(3);

    Response removed = api.put("/v1/runtime/pools/greeter", "{\"size\":0}");

    assertThat(removed.status()).isEqualTo(200);
    assertThat(removed.json().getInteger("size")).isZero();
    assertThat(api.get("/v1/runtime/capabilities").json().getJsonArray("pools")).isEmpty();
  }

  @Test
  void aPoolSizeOutOfRangeOrMissingIsRefusedAndATokenIsNeeded() {
    Response tooLarge = api.put("/v1/runtime/pools/greeter", "{\"size\":101}");
    Response missing = api.put("/v1/runtime/pools/greeter", "{}");
    Response badName = api.put("/v1/runtime/pools/Not_A_Tool", "{\"size\":1}");
    Response anonymous =
        api.put("/v1/runtime/pools/greeter", "{\"size\":1}", "Authorization", null);

    assertThat(tooLarge.status()).isEqualTo(400);
    assertThat(tooLarge.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(missing.status()).isEqualTo(400);
    assertThat(badName.status()).isEqualTo(400);
    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(api.get("/v1/runtime/capabilities").json().getJsonArray("pools")).isEmpty();
  }

  @Test
  void responsesAskBrowsersAndCachesToKeepOut() {
    Response r = api.get("/v1/runtime/capabilities");

    assertThat(r.header("X-Content-Type-Options")).contains("nosniff");
    assertThat(r.header("Cache-Control")).contains("no-store");
  }

  @Test
  void anonymousModeNeedsNoToken() {
    try (TestApi open =
        TestApi.start(TestApi.Setup.defaults().withAuthentication(Authentication.anonymous()))) {
      assertThat(open.get("/v1/tools", "Authorization", null).status()).isEqualTo(200);
    }
  }
}
