package dev.toolrun.ports.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.tool.JsonSchema;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SchemaValidator} must do; each adapter runs it against its implementation.
 * Messages are the implementation's own; fields, JSON pointers, are the contract.
 */
public abstract class SchemaValidatorContractTest {
  private static final JsonSchema PERSON =
      new JsonSchema(
          Map.of(
              "type",
              "object",
              "required",
              List.of("name"),
              "additionalProperties",
              false,
              "properties",
              Map.of(
                  "name", Map.of("type", "string", "minLength", 1),
                  "age", Map.of("type", "integer", "minimum", 0),
                  "tags", Map.of("type", "array", "items", Map.of("type", "string")))));

  private SchemaValidator validator;

  /** A validator to test. */
  protected abstract SchemaValidator newValidator();

  @BeforeEach
  void createValidator() {
    validator = newValidator();
  }

  @Test
  void aValid2020_12SchemaHasNoViolations() {
    assertThat(validator.checkSchema(PERSON)).isEmpty();
    assertThat(
            validator.checkSchema(
                new JsonSchema(
                    Map.of(
                        "$schema",
                        JsonSchema.DIALECT,
                        "$defs",
                        Map.of("id", Map.of("type", "string")),
                        "type",
                        "object",
                        "properties",
                        Map.of("id", Map.of("$ref", "#/$defs/id"))))))
        .isEmpty();
  }

  @Test
  void aSchemaBreakingTheMetaSchemaIsReportedAtThePointerOfEachMistake() {
    JsonSchema broken =
        new JsonSchema(
            Map.of(
                "type", "object",
                "required", "name",
                "properties", Map.of("age", Map.of("minimum", "zero"))));

    assertThat(validator.checkSchema(broken))
        .extracting(Violation::field)
        .contains("/required", "/properties/age/minimum");
  }

  @Test
  void aReferenceLeavingTheDocumentIsAViolation() {
    JsonSchema remote =
        new JsonSchema(
            Map.of(
                "type",
                "object",
                "properties",
                Map.of("a", Map.of("$ref", "https://schemas.example/a.json"))));

    assertThat(validator.checkSchema(remote))
        .extracting(Violation::field)
        .containsExactly("/properties/a/$ref");
  }

  @Test
  void aReferenceToNothingIsAViolation() {
    JsonSchema dangling =
        new JsonSchema(Map.of("properties", Map.of("a", Map.of("$ref", "#/$defs/none"))));

    assertThat(validator.checkSchema(dangling)).isNotEmpty();
  }

  @Test
  void everyViolationOfAValueIsListedAtItsPointer() {
    Parameters parameters =
        new Parameters(Map.of("age", -1, "tags", List.of("a", 2), "colour", "red"));

    assertThat(validator.validate(PERSON, parameters.values()))
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("/name", "/age", "/tags/1", "/colour");
  }

  @Test
  void aMatchingValueHasNoViolations() {
    Parameters parameters =
        new Parameters(Map.of("name", "Ada", "age", new BigDecimal("36"), "tags", List.of()));

    assertThat(validator.validate(PERSON, parameters.values())).isEmpty();
  }

  @Test
  void aJsonDocumentIsValidatedAsTheJsonItIs() {
    assertThat(validator.validateJson(PERSON, "{\"name\":\"Ada\",\"age\":36.0}")).isEmpty();
    assertThat(validator.validateJson(PERSON, "{\"name\":\"\",\"age\":0.5}"))
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("/name", "/age");
    assertThat(validator.validateJson(PERSON, "\"Ada\""))
        .extracting(Violation::field)
        .containsExactly("");
  }

  @Test
  void aDocumentThatIsNoJsonIsAnArgumentError() {
    assertThatThrownBy(() -> validator.validateJson(PERSON, "{\"name\":"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void pointerTokensAreEscaped() {
    JsonSchema schema = new JsonSchema(Map.of("type", "object", "required", List.of("a/b", "c~d")));

    assertThat(validator.validate(schema, Map.of()))
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("/a~1b", "/c~0d");
  }
}
