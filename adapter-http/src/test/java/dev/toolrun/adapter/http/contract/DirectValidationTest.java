package dev.toolrun.adapter.http.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DirectValidationTest {
  private static Vertx vertx;
  private static OpenAPIContract contract;

  @BeforeAll
  static void load() throws Exception {
    vertx = Vertx.vertx();
    contract =
        ApiContract.load(vertx, ApiContract.document())
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
  }

  @AfterAll
  static void closeVertx() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void takesOverOnlyOperationsWhoseParametersArePlainPathStrings() {
    assertThat(DirectValidation.of(contract.operation("getInstance"))).isPresent();
    assertThat(DirectValidation.of(contract.operation("cancelInstance"))).isPresent();
    // A body, query parameters, headers: the schema validator has something to refuse.
    for (String kept : List.of("launchInstance", "listInstances", "getInstanceLogs")) {
      assertThat(DirectValidation.of(contract.operation(kept))).as(kept).isEmpty();
    }
  }

  @Test
  void aPathStringWithAnyConstraintKeepsTheValidator() throws Exception {
    JsonObject document = ApiContract.parse(ApiContract.document());
    document
        .getJsonObject("components")
        .getJsonObject("parameters")
        .getJsonObject("InstanceId")
        .getJsonObject("schema")
        .put("pattern", "^[0-9a-f-]{36}$");
    Operation constrained =
        OpenAPIContract.from(vertx, ApiContract.withoutEventStreams(document))
            .toCompletionStage()
            .toCompletableFuture()
            .get(30, TimeUnit.SECONDS)
            .operation("getInstance");

    assertThat(DirectValidation.of(constrained)).isEmpty();
  }
}
