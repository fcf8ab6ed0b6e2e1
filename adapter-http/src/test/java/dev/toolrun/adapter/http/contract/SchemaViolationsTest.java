package dev.toolrun.adapter.http.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.error.Violation;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputErrorType;
import io.vertx.json.schema.OutputUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaViolationsTest {

  @Test
  void pointersBecomeDottedPathsWithIndices() {
    Object body = new JsonObject("{\"spec\":{\"tolerations\":[{\"operator\":\"x\"}]}}");

    assertThat(SchemaViolations.fieldPath("", "#/spec/tolerations/0/operator", body))
        .isEqualTo("spec.tolerations[0].operator");
    assertThat(SchemaViolations.fieldPath("", "#", body)).isEmpty();
    assertThat(SchemaViolations.fieldPath("state", "#/1", null)).isEqualTo("state[1]");
  }

  @Test
  void numericObjectKeysStayKeysAndEscapedKeysAreRestored() {
    Object body = new JsonObject("{\"env\":{\"0\":1,\"a/b ü\":2}}");

    assertThat(SchemaViolations.fieldPath("", "#/env/0", body)).isEqualTo("env.0");
    assertThat(SchemaViolations.fieldPath("", "#/env/a~1b%20%C3%BC", body)).isEqualTo("env.a/b ü");
  }

  @Test
  void wrappersAndEchoesAreDroppedAndMessagesRephrased() {
    OutputUnit result =
        new OutputUnit(false)
            .setErrors(
                List.of(
                    unit("#/spec", "#/properties", "Property \"spec\" does not match schema"),
                    unit("#/spec", "#/properties/spec/$ref", "A subschema had errors"),
                    unit(
                        "#/spec",
                        "#/properties/spec/$ref/required",
                        "Instance does not have required property \"mode\""),
                    unit(
                        "#/spec/retryLimit",
                        "#/properties/spec/$ref/properties/retryLimit/$ref/type",
                        "Instance type string is invalid. Expected integer"),
                    unit(
                        "#/spec/retryLimit",
                        "#/properties/spec/$ref/properties/retryLimit/$ref/format",
                        "Integer does not match the format \"int32\""),
                    unit(
                        "#/spec/retryLimit",
                        "#/properties/spec/$ref/additionalProperties",
                        "Property \"retryLimit\" does not match additional properties schema"),
                    unit(
                        "#/spec/zzz",
                        "#/properties/spec/$ref/additionalProperties",
                        "Property \"zzz\" does not match additional properties schema"),
                    unit(
                        "#",
                        "#/additionalProperties",
                        "Property \"spec\" does not match additional properties schema")));

    List<Violation> violations =
        SchemaViolations.from(
            result, "", new JsonObject("{\"spec\":{\"retryLimit\":\"x\",\"zzz\":1}}"));

    assertThat(violations)
        .containsExactly(
            new Violation("spec.mode", "is required"),
            new Violation("spec.retryLimit", "must be an integer, not a string"),
            new Violation("spec.zzz", "is not a known field"));
  }

  private static OutputUnit unit(String instance, String keyword, String error) {
    return new OutputUnit(instance, keyword, keyword, error, OutputErrorType.INVALID_VALUE);
  }
}
