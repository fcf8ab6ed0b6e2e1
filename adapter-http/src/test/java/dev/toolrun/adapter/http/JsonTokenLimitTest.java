package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.http.TestApi.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A small body of very many tokens is refused before it is mapped into objects. */
class JsonTokenLimitTest {
  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.start();
    Response registered =
        api.put("/v1/tools/echo", "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"e:1\"}}}");
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static String launchWithEmptyArrays(int arrays) {
    return "{\"tool\":\"echo\",\"parameters\":{\"x\":[" + "[],".repeat(arrays - 1) + "[]]}}";
  }

  @Test
  void aBodyOfMoreTokensThanTheLimitIs413AndNothingIsLaunched() {
    // 60,000 empty arrays: 180 KB, well under the body limit, but 120,000 tokens.
    String body = launchWithEmptyArrays(60_000);
    assertThat(body.length()).isLessThan((int) HttpConfig.DEFAULT_MAX_BODY_BYTES);

    Response refused = api.post("/v1/instances", body);

    assertThat(refused.status()).as(refused.body()).isEqualTo(413);
    assertThat(refused.json().getString("code")).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(refused.json().getString("message")).contains("http.max-json-tokens");
    assertThat(api.get("/v1/instances").json().getJsonArray("items")).isEmpty();
  }

  @Test
  void aBodyWithinTheLimitIsRead() {
    Response launched = api.post("/v1/instances", launchWithEmptyArrays(1_000));

    assertThat(launched.status()).as(launched.body()).isEqualTo(201);
  }
}
