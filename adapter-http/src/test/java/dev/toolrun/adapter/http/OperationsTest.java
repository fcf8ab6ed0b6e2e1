package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.http.ContractCoverage.Operation;
import dev.toolrun.adapter.http.TestApi.Response;
import dev.toolrun.domain.error.RuntimeRejectedException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every operation of {@code openapi.yaml} does alike, each operation taken from the document
 * itself: an operation added to it is tested here without a word.
 */
class OperationsTest {
  private static final String TOOL = "sample-tool";
  private static final String INSTANCE = "0193a9b2-7c1d-7aaa-8bbb-0123456789ab";
  private static final int MAX_BODY_BYTES = 1024;

  /** A body that passes the contract, for each operation that takes one. */
  private static final Map<String, String> BODIES =
      Map.of(
          "registerTool", "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"}}}",
          "launchInstance", "{\"tool\":\"" + TOOL + "\"}",
          "executeRequest", "{}",
          "resizePool", "{\"size\":1}");

  private static TestApi api;

  @BeforeAll
  static void start() {
    api = TestApi.start(TestApi.Setup.defaults().withMaxBodyBytes(MAX_BODY_BYTES));
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  @AfterEach
  void endTheOutage() {
    api.outage.end();
  }

  static Stream<Operation> operations() {
    return ContractCoverage.documented().stream();
  }

  static Stream<Operation> operationsUnderV1() {
    return operations().filter(o -> o.template().startsWith("/v1/"));
  }

  static Stream<Operation> operationsWithABody() {
    return operations().filter(Operation::takesBody);
  }

  /** Those that read or write the stores: every one that may be 502 (readiness is 503 only). */
  static Stream<Operation> operationsOnTheStores() {
    return operations().filter(o -> o.statuses().contains(502));
  }

  @Test
  void everyOperationWithABodyHasASampleOne() {
    for (Operation operation : ContractCoverage.documented()) {
      if (operation.takesBody()) {
        assertThat(BODIES).as("sample bodies").containsKey(operation.id());
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operationsUnderV1")
  void everyOperationUnderV1WantsTheBearerToken(Operation operation) {
    Response r = send(operation, "", "Authorization", null);

    assertThat(r.status()).as(r.body()).isEqualTo(401);
    assertThat(r.json().getString("code")).isEqualTo("UNAUTHORIZED");
    assertThat(r.header("WWW-Authenticate")).isPresent();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operations")
  void everyOperationRefusesAnUnknownQueryParameterByName(Operation operation) {
    Response r = send(operation, "?wait=30&follow=true");

    assertThat(r.status()).as(r.body()).isEqualTo(400);
    JsonObject error = r.json();
    assertThat(error.getString("code")).isEqualTo("VALIDATION_FAILED");
    assertThat(r.detailFields()).containsExactly("follow", "wait");
    assertThat(error.getJsonArray("details").getJsonObject(0).getString("message"))
        .startsWith("is not a query parameter of this operation, which takes ");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operationsWithABody")
  void everyOperationWithABodyTakesOnlyJson(Operation operation) {
    Response r =
        api.send(
            operation.method(),
            path(operation, ""),
            BODIES.get(operation.id()),
            "Content-Type",
            "text/plain");

    assertThat(r.status()).as(r.body()).isEqualTo(415);
    assertThat(r.json().getString("code")).isEqualTo("UNSUPPORTED_MEDIA_TYPE");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operationsWithABody")
  void everyOperationWithABodyRefusesOneOverTheLimit(Operation operation) {
    String big = "{\"description\":\"" + "x".repeat(MAX_BODY_BYTES) + "\"}";

    Response r = api.send(operation.method(), path(operation, ""), big);

    assertThat(r.status()).as(r.body()).isEqualTo(413);
    assertThat(r.json().getString("code")).isEqualTo("PAYLOAD_TOO_LARGE");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operationsOnTheStores")
  void everyOperationOnTheStoresIsUnavailableWhileTheyCannotBeReached(Operation operation) {
    api.outage.begin(
        new RuntimeUnavailableException("the Kubernetes API server cannot be reached", null));

    Response r = send(operation, "");

    assertThat(r.status()).as(r.body()).isEqualTo(503);
    assertThat(r.json().getString("code")).isEqualTo("RUNTIME_UNAVAILABLE");
    assertThat(r.json().getString("message"))
        .isEqualTo("the Kubernetes API server cannot be reached");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("operationsOnTheStores")
  void everyOperationOnTheStoresIsABadGatewayWhenTheyRefuse(Operation operation) {
    api.outage.begin(
        new RuntimeRejectedException(
            RuntimeRejectedException.Kind.FORBIDDEN,
            "the cluster refused: configmaps is forbidden for toolrun",
            null));

    Response r = send(operation, "");

    assertThat(r.status()).as(r.body()).isEqualTo(502);
    assertThat(r.json().getString("code")).isEqualTo("RUNTIME_REJECTED");
  }

  /** {@code operation} on a sample path, with {@code query} and its sample body, if any. */
  private static Response send(Operation operation, String query, String... headers) {
    return api.send(
        operation.method(), path(operation, query), BODIES.get(operation.id()), headers);
  }

  private static String path(Operation operation, String query) {
    return operation
            .template()
            .replace("{name}", TOOL)
            .replace("{tool}", TOOL)
            .replace("{id}", INSTANCE)
            .replace("{version}", "1")
        + query;
  }
}
