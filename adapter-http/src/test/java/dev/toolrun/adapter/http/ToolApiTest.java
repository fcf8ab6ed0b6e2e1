package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.http.TestApi.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ToolApiTest {
  private static final String TASK =
      "{\"description\":\"echoes\",\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"}}}";

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @Test
  void registeringANewToolAnswers201WithItsLocationAndEveryDefault() {
    Response r = api.put("/v1/tools/fresh", TASK);

    assertThat(r.status()).isEqualTo(201);
    assertThat(r.header("Location")).contains("/v1/tools/fresh/versions/1");
    JsonObject tool = r.json();
    assertThat(tool.getString("name")).isEqualTo("fresh");
    assertThat(tool.getInteger("version")).isEqualTo(1);
    assertThat(tool.getString("description")).isEqualTo("echoes");
    assertThat(tool.getString("mode")).isEqualTo("TASK");
    assertThat(tool.getString("registeredAt")).endsWith("Z");
    JsonObject spec = tool.getJsonObject("spec");
    assertThat(spec.getJsonObject("image"))
        .isEqualTo(new JsonObject("{\"name\":\"busybox:1\",\"command\":[],\"args\":[]}"));
    assertThat(spec.getJsonObject("security"))
        .isEqualTo(
            new JsonObject(
                "{\"runAsNonRoot\":true,\"runAsUser\":65534,\"readOnlyRootFilesystem\":true,"
                    + "\"allowPrivilegeEscalation\":false,\"dropCapabilities\":[\"ALL\"],\"addCapabilities\":[]}"));
    assertThat(spec.getInteger("parallelism")).isEqualTo(1);
    assertThat(spec.getInteger("completions")).isEqualTo(1);
    assertThat(spec.getInteger("retryLimit")).isZero();
    // Runtime defaults stay absent, and absent fields are left out rather than null.
    assertThat(spec.fieldNames())
        .doesNotContain("timeoutSeconds", "cleanupPolicy", "istioSidecar", "service", "script");
    assertThat(r.body()).doesNotContain("null");
  }

  @Test
  void registeringTheSameDefinitionAgainAnswers200AndAChangedOneMakesTheNextVersion() {
    api.put("/v1/tools/versioned", TASK);

    Response same = api.put("/v1/tools/versioned", TASK);
    Response changed = api.put("/v1/tools/versioned", TASK.replace("echoes", "echoes louder"));

    assertThat(same.status()).isEqualTo(200);
    assertThat(same.header("Location")).isEmpty();
    assertThat(same.json().getInteger("version")).isEqualTo(1);
    assertThat(changed.status()).isEqualTo(201);
    assertThat(changed.header("Location")).contains("/v1/tools/versioned/versions/2");
    assertThat(api.get("/v1/tools/versioned").json().getInteger("version")).isEqualTo(2);
    assertThat(api.get("/v1/tools/versioned/versions/1").json().getString("description"))
        .isEqualTo("echoes");
    JsonArray versions = api.get("/v1/tools/versioned/versions").json().getJsonArray("items");
    assertThat(versions.stream().map(v -> ((JsonObject) v).getInteger("version")))
        .containsExactly(1, 2);
  }

  @Test
  void aFullSpecRoundTripsWithItsKubernetesSpellings() {
    JsonObject spec =
        new JsonObject(
            """
            {"mode":"SERVICE",
             "script":{"language":"python","source":"print('hi')","args":["-v"]},
             "resources":{"cpu":{"request":"500m","limit":"1"},"memory":{"request":"64Mi","limit":"128Mi"},
                          "gpu":{"count":1}},
             "env":{"LEVEL":"debug"},"secretInputs":["API_TOKEN"],"nodeSelector":{"disk":"ssd"},
             "tolerations":[{"key":"gpu","operator":"Equal","value":"yes","effect":"NoExecute","tolerationSeconds":30}],
             "affinity":{"requiredNodeTerms":[{"requirements":[{"key":"zone","operator":"NotIn","values":["a"]}]}],
                         "podAffinity":[],"podAntiAffinity":[{"matchLabels":{"app":"x"},"topologyKey":"kubernetes.io/hostname","preferenceWeight":50}]},
             "security":{"runAsUser":1000},
             "serviceAccount":"runner","imagePullSecret":"regcred",
             "cleanupPolicy":"ON_FAILURE","istioSidecar":true,
             "service":{"port":8080,"protocol":"http","onUnhealthy":"FAIL"}}
            """);

    Response r = api.put("/v1/tools/full", new JsonObject().put("spec", spec).encode());

    assertThat(r.status()).as(r.body()).isEqualTo(201);
    JsonObject back = r.json().getJsonObject("spec");
    assertThat(back.getJsonObject("script").getString("language")).isEqualTo("python");
    assertThat(back.getJsonObject("resources").getJsonObject("gpu"))
        .isEqualTo(new JsonObject("{\"count\":1,\"resourceName\":\"nvidia.com/gpu\"}"));
    assertThat(back.getJsonArray("tolerations").getJsonObject(0))
        .isEqualTo(spec.getJsonArray("tolerations").getJsonObject(0));
    assertThat(back.getJsonObject("affinity").getJsonArray("podAntiAffinity"))
        .isEqualTo(spec.getJsonObject("affinity").getJsonArray("podAntiAffinity"));
    assertThat(back.getJsonObject("security").getLong("runAsUser")).isEqualTo(1000L);
    assertThat(back.getJsonObject("security").getBoolean("runAsNonRoot")).isTrue();
    assertThat(back.getString("cleanupPolicy")).isEqualTo("ON_FAILURE");
    assertThat(back.getJsonObject("service"))
        .isEqualTo(
            new JsonObject(
                "{\"port\":8080,\"protocol\":\"http\",\"healthPath\":\"/health\",\"healthIntervalMs\":10000,"
                    + "\"failureThreshold\":3,\"maxConcurrentRequests\":10,\"requestTimeoutMs\":30000,"
                    + "\"startTimeoutSeconds\":300,\"onUnhealthy\":\"FAIL\",\"maxRestarts\":3,\"networkIsolation\":false}"));
  }

  @Test
  void everyInvalidNameQuantityAndSettingIsListedAtOnce() {
    Response r =
        api.put(
            "/v1/tools/Not_A_Name",
            """
            {"spec":{"mode":"TASK","image":{"name":"busybox:1"},
              "resources":{"cpu":{"request":"2","limit":"500m"},"memory":{"request":"lots","limit":"1Qi"}},
              "tolerations":[{"operator":"Exists"},{"operator":"Equal","value":"v"}],
              "env":{"TOOLRUN_X":"1"},"parallelism":0,"retryLimit":11}}
            """);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(r.detailFields())
        .containsExactlyInAnyOrder(
            "name",
            "spec.resources.cpu.request",
            "spec.resources.memory.request",
            "spec.resources.memory.limit",
            "spec.tolerations[1].key",
            "spec.parallelism",
            "spec.env",
            "spec.retryLimit");
    assertThat(r.body())
        .contains("'Not_A_Name' is not a valid tool name", "'lots' is not a Kubernetes quantity");
  }

  @Test
  void schemaViolationsAreListedWithTheirJsonPaths() {
    Response r =
        api.put(
            "/v1/tools/typed",
            """
            {"spec":{"mode":"BATCH","image":{"name":5,"command":"sh"},"parallelism":"2",
                     "tolerations":[{"operator":"Equal"},{"operator":"Sometimes"}],"colour":"red"}}
            """);

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(r.detailFields())
        .containsExactlyInAnyOrder(
            "spec.mode",
            "spec.image.name",
            "spec.image.command",
            "spec.parallelism",
            "spec.tolerations[1].operator",
            "spec.colour");
    assertThat(r.body())
        .contains("must be a string, not a number", "is not a known field", "must be one of");
  }

  @Test
  void anUnknownFieldIsNamedWithoutBlamingItsParent() {
    Response r =
        api.put(
            "/v1/tools/typo",
            "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"colour\":\"red\"}}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.detailFields()).containsExactly("spec.colour");
  }

  @Test
  void listsAreBoundedBeforeTheyReachTheDomain() {
    String tolerations =
        String.join(
            ",", java.util.Collections.nCopies(65, "{\"key\":\"spot\",\"operator\":\"Exists\"}"));
    Response r =
        api.put(
            "/v1/tools/crowded",
            "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"tolerations\":["
                + tolerations
                + "]}}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(r.detailFields()).containsExactly("spec.tolerations");
    assertThat(r.body()).contains("64");
  }

  @Test
  void aFloodOfViolationsIsCutShort() {
    String tolerations =
        String.join(",", java.util.Collections.nCopies(5000, "{\"operator\":\"Never\"}"));
    Response r =
        api.put(
            "/v1/tools/flood",
            "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"tolerations\":["
                + tolerations
                + "]}}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getJsonArray("details").size()).isBetween(2, 101);
    assertThat(r.body()).contains("has more violations than are listed here");
  }

  @Test
  void missingFieldsAreNamed() {
    Response noSpec = api.put("/v1/tools/empty", "{}");
    Response noMode = api.put("/v1/tools/empty", "{\"spec\":{\"image\":{}}}");
    Response noBody = api.put("/v1/tools/empty", null);

    assertThat(noSpec.status()).isEqualTo(400);
    assertThat(noSpec.detailFields()).containsExactly("spec");
    assertThat(noMode.detailFields()).containsExactlyInAnyOrder("spec.mode", "spec.image.name");
    assertThat(noMode.body()).contains("is required");
    assertThat(noBody.status()).isEqualTo(400);
    assertThat(noBody.json().getString("code")).isEqualTo("VALIDATION_FAILED");
  }

  @Test
  void aSpecNeedsExactlyOneOfImageOrScript() {
    Response both =
        api.put(
            "/v1/tools/both",
            "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"script\":{\"language\":\"shell\",\"source\":\"ls\"}}}");
    Response neither = api.put("/v1/tools/neither", "{\"spec\":{\"mode\":\"TASK\"}}");

    assertThat(both.status()).isEqualTo(400);
    assertThat(both.detailFields()).containsExactly("spec");
    assertThat(both.body()).contains("both were given");
    assertThat(neither.body()).contains("neither was given");
  }

  @Test
  void whatTheRuntimeCannotDoIsRefusedAtRegistration() {
    Response r =
        api.put(
            "/v1/tools/needs-storage",
            "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"volumes\":[{\"claimName\":\"data\",\"mountPath\":\"/data\"}]}}");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.detailFields()).containsExactly("spec.volumes");
  }

  @Test
  void hugeNumbersAreValidationErrorsNotCrashes() {
    Response fraction =
        api.put(
            "/v1/tools/big",
            "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"retryLimit\":1.5}}");
    Response tooBig =
        api.put(
            "/v1/tools/big",
            "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"parallelism\":99999999999999999999999}}");
    Response infinite =
        api.put(
            "/v1/tools/big",
            "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"timeoutSeconds\":1e400}}");
    Response longTimeout =
        api.put(
            "/v1/tools/big",
            "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"a\"},\"timeoutSeconds\":9223372036854775807}}");

    assertThat(fraction.status()).isEqualTo(400);
    assertThat(fraction.detailFields()).containsExactly("spec.retryLimit");
    assertThat(tooBig.status()).isEqualTo(400);
    assertThat(tooBig.detailFields()).containsExactly("spec.parallelism");
    assertThat(infinite.status()).isEqualTo(400);
    assertThat(infinite.detailFields()).containsExactly("spec.timeoutSeconds");
    assertThat(longTimeout.status()).isEqualTo(400);
    assertThat(longTimeout.body()).contains("must be between 1 second and 7 days");
  }

  @Test
  void unicodeIsKeptWhereItIsAllowedAndNamedWhereItIsNot() {
    Response description = api.put("/v1/tools/unicode", TASK.replace("echoes", "échos 🎉"));
    Response lone = api.put("/v1/tools/lone", TASK.replace("echoes", "échos \\ud800"));
    Response name = api.put("/v1/tools/caf%C3%A9", TASK);

    assertThat(description.status()).isEqualTo(201);
    assertThat(description.json().getString("description")).isEqualTo("échos 🎉");
    assertThat(lone.status()).isEqualTo(400);
    assertThat(lone.detailFields()).containsExactly("description");
    assertThat(name.status()).isEqualTo(400);
    assertThat(name.detailFields()).containsExactly("name");
    assertThat(name.body()).contains("'café' is not a valid tool name");
  }

  @Test
  void malformedJsonIsAMalformedRequest() {
    Response r = api.put("/v1/tools/broken", "{\"spec\": {");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().getString("code")).isEqualTo("MALFORMED_REQUEST");
    assertThat(r.json().getJsonArray("details")).isEmpty();
  }

  @Test
  void aBodyOfAnotherMediaTypeIsRefused() {
    Response text = api.put("/v1/tools/texty", TASK, "Content-Type", "text/plain");
    Response none = api.put("/v1/tools/texty", TASK, "Content-Type", null);

    assertThat(text.status()).isEqualTo(415);
    assertThat(text.json().getString("code")).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
    assertThat(none.status()).isEqualTo(415);
    assertThat(
            api.put("/v1/tools/cased", TASK, "Content-Type", "Application/JSON; charset=UTF-8")
                .status())
        .isEqualTo(201);
  }

  @Test
  void aBodyThatIsNotAnObjectIsNamedAsTheBody() {
    Response r = api.put("/v1/tools/array", "[]");

    assertThat(r.status()).isEqualTo(400);
    assertThat(r.detailFields()).containsExactly("body");
    assertThat(r.body()).contains("must be an object, not an array");
  }

  @Test
  void anUnknownToolIsNotFound() {
    assertThat(api.get("/v1/tools/nobody").json().getString("code")).isEqualTo("TOOL_NOT_FOUND");
    assertThat(api.get("/v1/tools/nobody").status()).isEqualTo(404);
    assertThat(api.get("/v1/tools/nobody/versions").status()).isEqualTo(404);
    assertThat(api.delete("/v1/tools/nobody").status()).isEqualTo(404);
    api.put("/v1/tools/one-version", TASK);
    Response missingVersion = api.get("/v1/tools/one-version/versions/7");
    assertThat(missingVersion.status()).isEqualTo(404);
    assertThat(missingVersion.json().getString("message"))
        .isEqualTo("tool 'one-version' has no version 7");
    assertThat(api.get("/v1/tools/one-version/versions/0").status()).isEqualTo(400);
  }

  @Test
  void deletingAToolAnswers204AndItIsGone() {
    api.put("/v1/tools/short-lived", TASK);

    Response deleted = api.delete("/v1/tools/short-lived");

    assertThat(deleted.status()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    assertThat(api.get("/v1/tools/short-lived").status()).isEqualTo(404);
  }

  @Test
  void toolsArePagedByNameWithOpaqueCursors() {
    try (TestApi own = TestApi.start()) {
      for (String name : List.of("delta", "alpha", "echo", "charlie", "bravo")) {
        own.put("/v1/tools/" + name, TASK);
      }
      List<String> names = new ArrayList<>();
      List<Integer> sizes = new ArrayList<>();
      String cursor = null;
      do {
        JsonObject page =
            own.get("/v1/tools?limit=2" + (cursor == null ? "" : "&cursor=" + cursor)).json();
        page.getJsonArray("items").forEach(t -> names.add(((JsonObject) t).getString("name")));
        sizes.add(page.getJsonArray("items").size());
        cursor = page.getString("nextCursor");
        assertThat(cursor == null || !cursor.contains(names.get(names.size() - 1)))
            .as("cursor is opaque")
            .isTrue();
      } while (cursor != null);

      assertThat(names).containsExactly("alpha", "bravo", "charlie", "delta", "echo");
      assertThat(sizes).containsExactly(2, 2, 1);
      assertThat(own.get("/v1/tools").json().getJsonArray("items")).hasSize(5);
      assertThat(own.get("/v1/tools").json().containsKey("nextCursor")).isFalse();
    }
  }

  @Test
  void aCursorThatThisApiDidNotMakeIsRefused() {
    String notAName =
        Base64.getUrlEncoder().encodeToString("Not A Name".getBytes(StandardCharsets.UTF_8));

    for (String cursor : List.of("!!!", notAName, "-5", "%C3%A9")) {
      Response r = api.get("/v1/tools?cursor=" + cursor);
      assertThat(r.status()).as(cursor).isEqualTo(400);
      assertThat(r.json().getString("code")).isEqualTo("VALIDATION_FAILED");
      assertThat(r.detailFields()).containsExactly("cursor");
    }
  }

  @Test
  void pageSizesOutsideTheirRangeAreRefused() {
    assertThat(api.get("/v1/tools?limit=0").detailFields()).containsExactly("limit");
    assertThat(api.get("/v1/tools?limit=501").detailFields()).containsExactly("limit");
    assertThat(api.get("/v1/tools?limit=ten").body()).contains("must be an integer, not a string");
    assertThat(api.get("/v1/tools?limit=500").status()).isEqualTo(200);
  }
}
