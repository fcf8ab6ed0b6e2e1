package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.http.TestApi.Response;
import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.tool.ToolName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Tools with input and output schemas over REST: registration, launches and flagged results. */
class TypedToolApiTest {
  private static final Duration PATIENCE = Duration.ofSeconds(5);

  private static final String INPUT =
      """
      {"$schema": "https://json-schema.org/draft/2020-12/schema",
       "type": "object", "required": ["name"], "additionalProperties": false,
       "properties": {"name": {"type": "string", "minLength": 1},
                      "times": {"type": "integer", "minimum": 1, "maximum": 5}}}\
      """;

  private static final String OUTPUT =
      """
      {"type": "object", "required": ["greeting"],
       "properties": {"greeting": {"type": "string"}}}\
      """;

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static String spec(String input, String output) {
    return "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"registry.example/greeter:1\"}"
        + (input == null ? "" : ",\"inputSchema\":" + input)
        + (output == null ? "" : ",\"outputSchema\":" + output)
        + "}}";
  }

  private static void register(String name) {
    Response r = api.put("/v1/tools/" + name, spec(INPUT, OUTPUT));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  @Test
  void aToolShowsTheSchemasItWasRegisteredWith() {
    Response created = api.put("/v1/tools/shown", spec(INPUT, OUTPUT));

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonObject spec = api.get("/v1/tools/shown").json().getJsonObject("spec");
    assertThat(spec.getJsonObject("inputSchema")).isEqualTo(new JsonObject(INPUT));
    assertThat(spec.getJsonObject("outputSchema")).isEqualTo(new JsonObject(OUTPUT));
  }

  @Test
  void theSchemasArePartOfTheToolsVersion() {
    assertThat(api.put("/v1/tools/versioned", spec(null, null)).json().getInteger("version"))
        .isEqualTo(1);
    Response typed = api.put("/v1/tools/versioned", spec(INPUT, null));
    assertThat(typed.status()).isEqualTo(201);
    assertThat(typed.json().getInteger("version")).isEqualTo(2);
    // The same schema with its keys in another order is the same schema.
    String reordered =
        """
        {"properties": {"times": {"maximum": 5, "minimum": 1, "type": "integer"},
                        "name": {"minLength": 1, "type": "string"}},
         "additionalProperties": false, "required": ["name"], "type": "object",
         "$schema": "https://json-schema.org/draft/2020-12/schema"}\
        """;
    Response again = api.put("/v1/tools/versioned", spec(reordered, null));
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().getInteger("version")).isEqualTo(2);
    Response withOutput = api.put("/v1/tools/versioned", spec(INPUT, OUTPUT));
    assertThat(withOutput.json().getInteger("version")).isEqualTo(3);
  }

  @Test
  void anInvalidSchemaIsRefusedWith400AndEveryViolation() {
    String broken =
        """
        {"type": "object", "required": "name",
         "properties": {"name": {"minLength": -1},
                        "link": {"$ref": "https://schemas.example/link.json"}}}\
        """;

    Response r = api.put("/v1/tools/broken", spec(broken, "{\"type\": \"nothing\"}"));

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(r.detailFields())
        .contains(
            "spec.inputSchema/required",
            "spec.inputSchema/properties/name/minLength",
            "spec.inputSchema/properties/link/$ref",
            "spec.outputSchema/type");
    assertThat(api.get("/v1/tools/broken").status()).isEqualTo(404);
  }

  @Test
  void anInputSchemaThatIsNotAnObjectSchemaOrNamesASecretIsRefused() {
    Response notAnObject = api.put("/v1/tools/scalar", spec("{\"type\": \"string\"}", null));
    assertThat(notAnObject.status()).isEqualTo(400);
    assertThat(notAnObject.detailFields()).containsExactly("spec.inputSchema/type");

    Response secret =
        api.put(
            "/v1/tools/secretive",
            "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"},"
                + "\"secretInputs\":[\"API_TOKEN\"],"
                + "\"inputSchema\":{\"type\":\"object\",\"required\":[\"API_TOKEN\"]}}}");
    assertThat(secret.status()).isEqualTo(400);
    assertThat(secret.detailFields()).containsExactly("spec.inputSchema/properties/API_TOKEN");
  }

  @Test
  void aLaunchBreakingTheInputSchemaIsRefusedWith400ListingEveryPointer() {
    register("strict-greeter");

    Response r =
        api.post(
            "/v1/instances",
            "{\"tool\":\"strict-greeter\",\"parameters\":{\"times\":9,\"colour\":\"red\"}}");

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    assertThat(r.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    JsonArray details = r.json().getJsonArray("details");
    assertThat(details.stream().map(JsonObject.class::cast).map(JsonObject::getMap))
        .contains(
            java.util.Map.of("field", "parameters/name", "message", "is required"),
            java.util.Map.of(
                "field", "parameters/colour", "message", "is not allowed by the schema"));
    assertThat(r.detailFields()).contains("parameters/times");
    assertThat(api.get("/v1/instances?tool=strict-greeter").json().getJsonArray("items")).isEmpty();
  }

  @Test
  void aResultBreakingTheOutputSchemaIsKeptAndFlagged() {
    register("sloppy-greeter");
    api.runtime.script(
        new ToolName("sloppy-greeter"), Scenario.succeed(List.of(), "{\"greeting\":42}"));

    JsonObject done = runToEnd("sloppy-greeter");

    assertThat(done.getJsonObject("result")).isEqualTo(new JsonObject("{\"greeting\":42}"));
    assertThat(done.getJsonArray("resultViolations"))
        .containsExactly(
            new JsonObject()
                .put("field", "/greeting")
                .put("message", "integer found, string expected"));
  }

  @Test
  void aResultMatchingTheOutputSchemaHasNoViolations() {
    register("tidy-greeter");
    api.runtime.script(
        new ToolName("tidy-greeter"), Scenario.succeed(List.of(), "{\"greeting\":\"hi Ada\"}"));

    JsonObject done = runToEnd("tidy-greeter");

    assertThat(done.getJsonArray("resultViolations")).isEmpty();
  }

  private static JsonObject runToEnd(String tool) {
    Response launched =
        api.post("/v1/instances", "{\"tool\":\"" + tool + "\",\"parameters\":{\"name\":\"Ada\"}}");
    assertThat(launched.status()).as(launched.body()).isEqualTo(201);
    String id = launched.json().getString("id");
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(api.get("/v1/instances/" + id).json().getString("state"))
                    .isEqualTo("SUCCEEDED"));
    return api.get("/v1/instances/" + id).json();
  }
}
