package dev.toolrun.adapter.http.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.adapter.http.dto.InstanceResponse;
import dev.toolrun.adapter.http.dto.ServiceRequestEnvelope;
import dev.toolrun.adapter.http.dto.ServiceResponseEnvelope;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.common.dsl.SchemaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApiContractTest {
  private static Vertx vertx;

  @BeforeAll
  static void startVertx() {
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static OpenAPIContract load(JsonObject document) throws Exception {
    return OpenAPIContract.from(vertx, document)
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static JsonObject document() {
    return ApiContract.withoutEventStreams(ApiContract.parse(ApiContract.document()));
  }

  @Test
  void oneValidatorPerSchemaServesEveryRequestAndJudgesAsTheOriginalDoes() throws Exception {
    OpenAPIContract original = load(document());
    OpenAPIContract reused = ReusedValidators.of(original);
    io.vertx.json.schema.JsonSchema launch =
        original
            .operation(ApiOperation.LAUNCH_INSTANCE.operationId())
            .getRequestBody()
            .getContent()
            .get("application/json")
            .getSchema();

    assertThat(reused.getSchemaRepository().validator(launch))
        .isSameAs(reused.getSchemaRepository().validator(launch));
    for (JsonObject body :
        List.of(
            new JsonObject().put("tool", "echo"),
            new JsonObject().put("tool", 5),
            new JsonObject())) {
      assertThat(reused.getSchemaRepository().validator(launch).validate(body).getValid())
          .as("%s", body)
          .isEqualTo(original.getSchemaRepository().validator(launch).validate(body).getValid());
    }
    assertThat(reused.operations()).isEqualTo(original.operations());
  }

  @Test
  void theDocumentIsAValidOpenApi30Contract() throws Exception {
    OpenAPIContract contract = load(document());

    assertThat(contract.getVersion()).isEqualTo(OpenAPIVersion.V3_0);
    assertThat(contract.operations()).hasSize(ApiOperation.values().length);
  }

  @Test
  void theLoaderThatSkipsTheMetaSchemaCheckReadsWhatTheCheckingOneReads() throws Exception {
    OpenAPIContract checked = load(document());
    OpenAPIContract loaded =
        ApiContract.load(vertx, ApiContract.document())
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);

    assertThat(loaded.getRawContract()).isEqualTo(checked.getRawContract());
    assertThat(loaded.operations()).hasSameSizeAs(checked.operations());
  }

  /**
   * The loader's schema repository lacks the draft's meta-schema (read only for the check it
   * skips); every request body and parameter schema still judges as in Vert.x's own contract.
   */
  @Test
  void everySchemaOfTheLoadedContractJudgesAsInTheCheckedOne() throws Exception {
    OpenAPIContract checked = load(document());
    OpenAPIContract loaded =
        ApiContract.load(vertx, ApiContract.document())
            .toCompletionStage()
            .toCompletableFuture()
            .get(10, TimeUnit.SECONDS);
    List<Object> samples =
        List.of(
            new JsonObject(),
            new JsonObject().put("tool", "echo").put("parameters", new JsonObject()),
            new JsonObject().put("name", 5).put("spec", new JsonArray()),
            new JsonObject().put("description", "d").put("spec", new JsonObject().put("mode", "X")),
            "text",
            42,
            -1);
    int judged = 0;
    for (Operation operation : checked.operations()) {
      List<io.vertx.json.schema.JsonSchema> theirs = new ArrayList<>();
      List<io.vertx.json.schema.JsonSchema> ours = new ArrayList<>();
      Operation same = loaded.operation(operation.getOperationId());
      if (operation.getRequestBody() != null) {
        operation
            .getRequestBody()
            .getContent()
            .forEach(
                (type, media) -> {
                  theirs.add(media.getSchema());
                  ours.add(same.getRequestBody().getContent().get(type).getSchema());
                });
      }
      for (int i = 0; i < operation.getParameters().size(); i++) {
        theirs.add(operation.getParameters().get(i).getSchema());
        ours.add(same.getParameters().get(i).getSchema());
      }
      for (int i = 0; i < theirs.size(); i++) {
        for (Object sample : samples) {
          assertThat(
                  loaded.getSchemaRepository().validator(ours.get(i)).validate(sample).getValid())
              .as("%s, schema %d, %s", operation.getOperationId(), i, sample)
              .isEqualTo(
                  checked
                      .getSchemaRepository()
                      .validator(theirs.get(i))
                      .validate(sample)
                      .getValid());
          judged++;
        }
      }
    }
    assertThat(judged).isGreaterThan(100);
  }

  @Test
  void everyOperationIdOfTheDocumentIsAnApiOperationAndViceVersa() throws Exception {
    List<String> declared =
        load(document()).operations().stream().map(Operation::getOperationId).sorted().toList();
    List<String> known =
        Arrays.stream(ApiOperation.values()).map(ApiOperation::operationId).sorted().toList();

    assertThat(declared).containsExactlyElementsOf(known);
  }

  @Test
  void exactlyTheOperationsUnderV1RequireABearerToken() throws Exception {
    OpenAPIContract contract = load(document());

    ContractCheck.check(contract);
    for (Operation operation : contract.operations()) {
      assertThat(operation.getSecurityRequirements().isEmpty())
          .as(operation.getOperationId())
          .isEqualTo(!operation.getOpenAPIPath().startsWith("/v1/"));
    }
  }

  @Test
  void aContractThatOpensAV1OperationIsRefused() throws Exception {
    JsonObject document = document();
    document
        .getJsonObject("paths")
        .getJsonObject("/v1/tools")
        .getJsonObject("get")
        .put("security", new JsonArray());

    assertThatThrownBy(() -> ContractCheck.check(load(document)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("listTools");
  }

  @Test
  void aContractWithAnUnknownOperationIsRefused() throws Exception {
    JsonObject document = document();
    document
        .getJsonObject("paths")
        .getJsonObject("/health/live")
        .getJsonObject("get")
        .put("operationId", "somethingNew");

    assertThatThrownBy(() -> ContractCheck.check(load(document)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("somethingNew")
        .hasMessageContaining("GET_LIVENESS");
  }

  @Test
  void yamlKeysThatAreNotStringsAreReportedClearly() {
    byte[] yaml =
        "openapi: 3.0.3\npaths:\n  /x:\n    get:\n      responses:\n        200: {}\n"
            .getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> ApiContract.parse(yaml))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("key 200")
        .hasMessageContaining("quote it");
  }

  @Test
  void everyParameterStyleOfTheContractIsOneTheExtractorPassesFaithfully() throws Exception {
    // FaithfulRequestExtractor only knows form-exploded arrays of strings and primitives.
    List<String> unsupported = new ArrayList<>();
    for (Operation operation : load(document()).operations()) {
      operation.getParameters().stream()
          .filter(
              p ->
                  p.getSchemaType() == SchemaType.OBJECT
                      || (p.getSchemaType() == SchemaType.ARRAY && !p.isExplode()))
          .forEach(p -> unsupported.add(operation.getOperationId() + "." + p.getName()));
    }

    assertThat(unsupported).isEmpty();
  }

  @Test
  void theSchemasDescribeEveryFieldOfTheirRecords() {
    JsonObject schemas = document().getJsonObject("components").getJsonObject("schemas");
    Map<String, Class<? extends Record>> shapes =
        Map.of(
            "Instance", InstanceResponse.class,
            "ServiceRequest", ServiceRequestEnvelope.class,
            "ServiceResponse", ServiceResponseEnvelope.class);

    shapes.forEach(
        (schema, type) ->
            assertThat(schemas.getJsonObject(schema).getJsonObject("properties").fieldNames())
                .as(schema)
                .containsExactlyInAnyOrderElementsOf(fields(type)));
    assertThat(
            schemas
                .getJsonObject("Instance")
                .getJsonObject("properties")
                .getJsonObject("health")
                .getJsonObject("properties")
                .fieldNames())
        .containsExactlyInAnyOrderElementsOf(fields(InstanceResponse.HealthDto.class));
  }

  private static List<String> fields(Class<? extends Record> type) {
    return Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).toList();
  }

  @Test
  void operationIdsAreUnique() {
    Map<String, Long> counts =
        Arrays.stream(ApiOperation.values())
            .collect(Collectors.groupingBy(ApiOperation::operationId, Collectors.counting()));

    assertThat(counts.values()).containsOnly(1L);
  }
}
