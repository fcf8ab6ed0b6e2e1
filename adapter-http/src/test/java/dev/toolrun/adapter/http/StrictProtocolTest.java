package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.http.RawConnection.Answer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Requests a lenient server would read one way and a proxy, or the client, another: each sent as
 * exact bytes on a socket of its own, with the answer and whether the connection closed.
 */
class StrictProtocolTest {
  private static final String AUTH = "Authorization: Bearer " + TestApi.TOKEN + "\r\n";
  private static final String TASK =
      "\"spec\":{\"mode\":\"TASK\",\"script\":{\"language\":\"shell\",\"source\":\"echo\"}}";
  private static final Duration CLOSES = Duration.ofSeconds(5);

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.start();
    assertThat(api.put("/v1/tools/known", "{" + TASK + "}").status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static void assertError(Answer answer, int status, String code) {
    assertThat(answer.status()).as(answer.body()).isEqualTo(status);
    assertThat(answer.header("Content-Type")).isEqualTo("application/json; charset=utf-8");
    assertThat(answer.json().getInteger("status")).isEqualTo(status);
    assertThat(answer.json().getString("code")).isEqualTo(code);
  }

  private static Answer send(String request) {
    try (RawConnection connection = new RawConnection(api.port())) {
      return connection.send(request).read();
    }
  }

  private static Answer sendHead(String request) {
    try (RawConnection connection = new RawConnection(api.port())) {
      return connection.send(request).readHead();
    }
  }

  private static Answer put(String path, String contentType, byte[] body) {
    try (RawConnection connection = new RawConnection(api.port())) {
      connection.send(
          "PUT "
              + path
              + " HTTP/1.1\r\nHost: x\r\n"
              + AUTH
              + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
              + "Content-Length: "
              + body.length
              + "\r\n\r\n");
      return connection.send(body).read();
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void aRequestWithBothContentLengthAndChunkedIsRefusedAndItsHiddenRequestNeverRuns() {
    // Read by Content-Length, the body is "0\r\n\r\n" plus a second request; read as chunked, the
    // body ends at "0\r\n\r\n" and the second request runs. Neither may happen.
    String hidden =
        "PUT /v1/tools/smuggled HTTP/1.1\r\nHost: x\r\n"
            + AUTH
            + "Content-Type: application/json\r\nContent-Length: "
            + (TASK.length() + 2)
            + "\r\n\r\n{"
            + TASK
            + "}";
    String body = "0\r\n\r\n" + hidden;
    try (RawConnection connection = new RawConnection(api.port())) {
      connection.send(
          "PUT /v1/tools/front HTTP/1.1\r\nHost: x\r\n"
              + AUTH
              + "Content-Type: application/json\r\nContent-Length: "
              + body.length()
              + "\r\nTransfer-Encoding: chunked\r\n\r\n"
              + body);

      Answer answer = connection.read();

      assertError(answer, 400, "MALFORMED_REQUEST");
      assertThat(answer.json().getString("message"))
          .contains("Content-Length", "Transfer-Encoding");
      assertThat(answer.header("Connection")).isEqualTo("close");
      assertThat(connection.closedWithin(CLOSES)).isTrue();
    }
    assertThat(api.get("/v1/tools/smuggled").status()).isEqualTo(404);
    assertThat(api.get("/v1/tools/front").status()).isEqualTo(404);
  }

  @Test
  void everyOtherAmbiguousFramingIsRefusedOnAClosingConnection() {
    String head =
        "PUT /v1/tools/framed %s\r\nHost: x\r\n" + AUTH + "Content-Type: application/json\r\n";
    String chunkedBody = "\r\n\r\n2\r\n{}\r\n0\r\n\r\n";
    for (String request :
        new String[] {
          // Chunked is not the only coding, or not the last.
          head.formatted("HTTP/1.1") + "Transfer-Encoding: gzip, chunked" + chunkedBody,
          head.formatted("HTTP/1.1") + "Transfer-Encoding: chunked, identity" + chunkedBody,
          // Two headers are one list: chunked twice.
          head.formatted("HTTP/1.1")
              + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked"
              + chunkedBody,
          // A Transfer-Encoding other than chunked, with a length.
          head.formatted("HTTP/1.1") + "Transfer-Encoding: identity\r\nContent-Length: 2\r\n\r\n{}",
          // HTTP/1.0 knows no transfer codings; with or without a length it is ambiguous.
          head.formatted("HTTP/1.0") + "Transfer-Encoding: chunked" + chunkedBody,
          head.formatted("HTTP/1.0")
              + "Transfer-Encoding: chunked\r\nContent-Length: 12"
              + chunkedBody,
        }) {
      try (RawConnection connection = new RawConnection(api.port())) {
        Answer answer = connection.send(request).read();

        assertError(answer, 400, "MALFORMED_REQUEST");
        assertThat(answer.header("Connection")).as(request).isEqualTo("close");
        assertThat(connection.closedWithin(CLOSES)).as(request).isTrue();
      }
    }
    assertThat(api.get("/v1/tools/framed").status()).isEqualTo(404);
  }

  @Test
  void aChunkedBodyAloneIsFine() {
    String body = "{" + TASK + "}";
    Answer answer =
        send(
            "PUT /v1/tools/chunked HTTP/1.1\r\nHost: x\r\n"
                + AUTH
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(body.length())
                + "\r\n"
                + body
                + "\r\n0\r\n\r\n");

    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
  }

  @Test
  void bodiesThatAreNotStrictlyUtf8AreRefused() {
    String before = "{\"description\":\"";
    String after = "\"," + TASK + "}";
    // Overlong "../", an overlong NUL, an encoded surrogate, a truncated sequence, a lone byte.
    for (String bad :
        new String[] {
          "\u00c0\u00ae\u00c0\u00ae\u00c0\u00af",
          "\u00c0\u0080",
          "\u00ed\u00a0\u0080",
          "\u00e2\u0082",
          "\u00ff"
        }) {
      Answer answer = put("/v1/tools/utf", "application/json", bytes(before + bad + after));

      assertError(answer, 400, "MALFORMED_REQUEST");
      assertThat(answer.json().getString("message")).contains("not valid UTF-8");
    }
    assertThat(api.get("/v1/tools/utf").status()).isEqualTo(404);
    Answer fine =
        put(
            "/v1/tools/utf",
            "application/json",
            (before + "caf\u00e9 \ud83c\udf89" + after).getBytes(StandardCharsets.UTF_8));
    assertThat(fine.status()).as(fine.body()).isEqualTo(201);
  }

  @Test
  void loneSurrogateEscapesAreRefusedAndPairsAccepted() {
    for (String bad : new String[] {"\\ud800", "\\udfff", "x\\ud800y", "\\ude00\\ud83d"}) {
      Answer answer =
          put(
              "/v1/tools/surrogate",
              "application/json",
              bytes("{\"description\":\"" + bad + "\"," + TASK + "}"));

      assertError(answer, 400, "VALIDATION_FAILED");
      assertThat(answer.json().getJsonArray("details").getJsonObject(0).getString("field"))
          .isEqualTo("description");
      assertThat(answer.json().getString("message")).contains("lone surrogate");
    }
    // Jackson refuses a lone surrogate in a field name as JSON that is not well-formed.
    Answer key =
        put("/v1/tools/surrogate", "application/json", bytes("{\"\\ud800\":1," + TASK + "}"));
    assertError(key, 400, "MALFORMED_REQUEST");
    Answer pair =
        put(
            "/v1/tools/surrogate",
            "application/json",
            bytes("{\"description\":\"\\ud83c\\udf89\"," + TASK + "}"));
    assertThat(pair.status()).as(pair.body()).isEqualTo(201);
    assertThat(api.get("/v1/tools/surrogate").json().getString("description"))
        .isEqualTo("\ud83c\udf89");
  }

  @Test
  void pathsAndQueriesThatAreNotStrictlyUtf8OncePercentDecodedAreRefused() {
    for (String target :
        new String[] {
          "/v1/tools/%C0%AE%C0%AE%C0%AF",
          "/health/%C0%AE%C0%AE/v1/tools",
          "/v1/tools/a%ED%A0%80",
          "/v1/tools/\u00e9",
          "/v1/instances?tool=%C0%AE",
          "/v1/instances?tool=%ED%A0%80",
          "/v1/instances?tool=%E2%82",
        }) {
      Answer answer = send("GET " + target + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");

      assertError(answer, 400, "MALFORMED_REQUEST");
      assertThat(answer.json().getString("message")).as(target).contains("UTF-8");
    }
    Answer fine = send("GET /v1/instances?tool=caf%C3%A9 HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
    // Decoded as UTF-8, and then found not to be a tool name.
    assertThat(fine.status()).as(fine.body()).isEqualTo(400);
    assertThat(fine.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(fine.json().getString("message")).contains("'caf\u00e9' is not a valid tool name");
  }

  @Test
  void aFieldGivenTwiceIsRefusedByName() {
    Answer top = send(postInstances("{\"tool\":\"known\",\"tool\":\"other\"}"));
    Answer nested =
        put(
            "/v1/tools/twice",
            "application/json",
            bytes(
                "{\"spec\":{\"mode\":\"TASK\",\"script\":{\"language\":\"shell\",\"source\":\"a\","
                    + "\"source\":\"b\"}}}"));
    Answer inArray =
        send(postInstances("{\"tool\":\"known\",\"parameters\":{\"x\":[{\"a\":1,\"a\":2}]}}"));

    assertError(top, 400, "VALIDATION_FAILED");
    assertThat(top.json().getJsonArray("details").getJsonObject(0).getString("field"))
        .isEqualTo("tool");
    assertThat(top.body()).contains("more than once");
    assertError(nested, 400, "VALIDATION_FAILED");
    assertThat(nested.json().getJsonArray("details").getJsonObject(0).getString("field"))
        .isEqualTo("spec.script.source");
    assertError(inArray, 400, "VALIDATION_FAILED");
    assertThat(inArray.json().getJsonArray("details").getJsonObject(0).getString("field"))
        .isEqualTo("parameters.x[0].a");
    assertThat(api.get("/v1/tools/twice").status()).isEqualTo(404);
  }

  private static String postInstances(String json) {
    return "POST /v1/instances HTTP/1.1\r\nHost: x\r\n"
        + AUTH
        + "Content-Type: application/json\r\nContent-Length: "
        + json.length()
        + "\r\n\r\n"
        + json;
  }

  @Test
  void twoAuthorizationHeadersAreAMalformedRequest() {
    Answer same = send("GET /v1/tools HTTP/1.1\r\nHost: x\r\n" + AUTH + AUTH + "\r\n");
    Answer different =
        send(
            "GET /v1/tools HTTP/1.1\r\nHost: x\r\n" + AUTH + "Authorization: Bearer other\r\n\r\n");
    Answer health = send("GET /health/live HTTP/1.1\r\nHost: x\r\n" + AUTH + AUTH + "\r\n");

    for (Answer answer : new Answer[] {same, different, health}) {
      assertError(answer, 400, "MALFORMED_REQUEST");
      assertThat(answer.json().getString("message")).contains("more than one Authorization");
    }
  }

  @Test
  void onlyApplicationJsonBodiesAreAccepted() {
    byte[] body = bytes("{" + TASK + "}");
    String multipart = "multipart/form-data; boundary=x";
    for (String type :
        new String[] {
          multipart,
          "application/jsonx",
          "application/json-patch+json",
          "application/merge-patch+json",
          "application/x-www-form-urlencoded",
          "text/json",
          "application/json; charset=iso-8859-1",
          "application",
          "",
          null
        }) {
      Answer answer = put("/v1/tools/typed", type, body);

      assertError(answer, 415, "UNSUPPORTED_MEDIA_TYPE");
    }
    assertThat(api.get("/v1/tools/typed").status()).isEqualTo(404);
    for (String type :
        new String[] {
          "application/json", "Application/JSON; Charset=\"UTF-8\"", "application/json;foo=bar"
        }) {
      assertThat(put("/v1/tools/typed", type, body).status()).as(type).isIn(200, 201);
    }
  }

  @Test
  void headIsServedForEveryGetWithItsHeadersAndNoBody() {
    try (RawConnection connection = new RawConnection(api.port())) {
      for (String path :
          new String[] {
            "/v1/tools", "/v1/tools/known", "/v1/tools/missing", "/health/live", "/openapi.yaml"
          }) {
        Answer get =
            connection.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n").read();
        connection.send("HEAD " + path + " HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
        Answer head = connection.readHead();

        assertThat(head.status()).as(path).isEqualTo(get.status());
        assertThat(head.header("Content-Type")).as(path).isEqualTo(get.header("Content-Type"));
        assertThat(head.header("Content-Length")).as(path).isEqualTo(get.header("Content-Length"));
        assertThat(head.body()).isEmpty();
      }
      // Had a HEAD answer carried a body, this would read it instead of its own answer.
      assertThat(
              connection
                  .send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
                  .read()
                  .json()
                  .getString("status"))
          .isEqualTo("UP");
    }
    Answer notAGet =
        sendHead(
            "HEAD /v1/instances/0193a9b2-7c1d-7aaa-8bbb-0123456789ab/cancel HTTP/1.1\r\nHost: x\r\n"
                + AUTH
                + "\r\n");
    assertThat(notAGet.status()).isEqualTo(405);
    assertThat(notAGet.header("Allow")).isEqualTo("POST");
  }

  @Test
  void everyMethodNotAllowedSaysWhatIsAllowedInAnAllowHeader() {
    Answer collection = send("PUT /v1/tools HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
    Answer slash = send("PUT /v1/tools/ HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
    Answer tool = send("PATCH /v1/tools/known HTTP/1.1\r\nHost: x\r\n" + AUTH + "\r\n");
    Answer health = send("DELETE /health/live HTTP/1.1\r\nHost: x\r\n\r\n");

    assertError(collection, 405, "METHOD_NOT_ALLOWED");
    assertThat(collection.header("Allow")).isEqualTo("GET, HEAD");
    assertError(slash, 405, "METHOD_NOT_ALLOWED");
    assertThat(slash.header("Allow")).isEqualTo("GET, HEAD");
    assertThat(slash.json().getString("message")).contains("allowed: GET, HEAD");
    assertError(tool, 405, "METHOD_NOT_ALLOWED");
    assertThat(tool.header("Allow")).isEqualTo("DELETE, GET, HEAD, PUT");
    assertError(health, 405, "METHOD_NOT_ALLOWED");
    assertThat(health.header("Allow")).isEqualTo("GET, HEAD");
  }
}
