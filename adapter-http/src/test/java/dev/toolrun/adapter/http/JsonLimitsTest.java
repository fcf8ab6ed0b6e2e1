package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.adapter.http.TestApi.Response;
import dev.toolrun.domain.instance.Parameters;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A small body of very many tokens, or one nested very deep, is refused before it is mapped into
 * objects, at the limits the server is given.
 */
class JsonLimitsTest {
  private static final String ECHO = "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"e:1\"}}}";

  private static TestApi api;
  private static TestApi shallow;

  @BeforeAll
  static void start() {
    api = TestApi.start();
    shallow =
        TestApi.start(
            TestApi.Setup.defaults()
                .withJsonLimits(
                    new JsonLimits(JsonLimits.DEFAULT_MAX_TOKENS, JsonLimits.MIN_DEPTH)));
    for (TestApi each : new TestApi[] {api, shallow}) {
      Response registered = each.put("/v1/tools/echo", ECHO);
      assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    }
  }

  @AfterAll
  static void stop() {
    api.close();
    shallow.close();
  }

  private static String launchWithEmptyArrays(int arrays) {
    return "{\"tool\":\"echo\",\"parameters\":{\"x\":[" + "[],".repeat(arrays - 1) + "[]]}}";
  }

  /** A launch whose body nests {@code depth} levels: its object, parameters, then arrays. */
  private static String launchNested(int depth) {
    int arrays = depth - 2;
    return "{\"tool\":\"echo\",\"parameters\":{\"x\":"
        + "[".repeat(arrays)
        + "]".repeat(arrays)
        + "}}";
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

  @Test
  void aBodyNestedDeeperThanTheConfiguredDepthIs400NamingItsFieldAndTheLimit() {
    int launchedBefore = shallow.get("/v1/instances").json().getJsonArray("items").size();

    Response refused = shallow.post("/v1/instances", launchNested(JsonLimits.MIN_DEPTH + 1));

    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    JsonObject violation = refused.json().getJsonArray("details").getJsonObject(0);
    assertThat(violation.getString("field")).isEqualTo("parameters");
    assertThat(violation.getString("message"))
        .contains("deeper than " + JsonLimits.MIN_DEPTH + " levels")
        .contains("http.max-json-depth");
    assertThat(shallow.get("/v1/instances").json().getJsonArray("items")).hasSize(launchedBefore);
  }

  @Test
  void theShallowestDepthAllowedStillTakesTheDeepestParametersTheDomainTakes() {
    // The launch's object and its parameters object, then arrays down to the domain's bound.
    String deepest = launchNested(Parameters.MAX_DEPTH + 1);

    Response launched = shallow.post("/v1/instances", deepest);

    assertThat(launched.status()).as(launched.body()).isEqualTo(201);
  }

  @Test
  void byDefaultABodyMayNestAsDeepAsTheJsonReaderAndNoDeeper() {
    Response atTheLimit = api.post("/v1/instances", launchNested(JsonLimits.DEFAULT_MAX_DEPTH));
    Response beyond = api.post("/v1/instances", launchNested(JsonLimits.DEFAULT_MAX_DEPTH + 1));
    // Never closed: refused at the depth, before the reader finds the end missing.
    Response unclosed = api.post("/v1/instances", "[".repeat(10_000));

    // Past the body's limit, the domain's bound on parameters (32 levels) refuses it.
    assertThat(atTheLimit.status()).as(atTheLimit.body()).isEqualTo(400);
    assertThat(atTheLimit.body()).doesNotContain("http.max-json-depth").contains("32 levels");
    assertThat(beyond.status()).as(beyond.body()).isEqualTo(400);
    assertThat(beyond.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(beyond.body()).contains("deeper than 500 levels").contains("http.max-json-depth");
    assertThat(unclosed.status()).as(unclosed.body()).isEqualTo(400);
    assertThat(unclosed.body()).contains("http.max-json-depth");
  }

  @Test
  void theLimitsAreValidated() {
    assertThat(JsonLimits.DEFAULT).isEqualTo(new JsonLimits(100_000, 500));
    assertThatThrownBy(() -> new JsonLimits(0, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tokens");
    assertThatThrownBy(() -> new JsonLimits(100, JsonLimits.MIN_DEPTH - 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("from 34 to 500");
    assertThatThrownBy(() -> new JsonLimits(100, JsonLimits.MAX_DEPTH + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
