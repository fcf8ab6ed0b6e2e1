package dev.toolrun.adapter.jsonschema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.tool.JsonSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What networknt's validator does beyond the port's contract
 * (NetworkntSchemaValidatorContractTest): its messages, its loader, its limits.
 */
class NetworkntSchemaValidatorTest {
  private final NetworkntSchemaValidator validator = NetworkntSchemaValidator.create();

  private static final JsonSchema GREETER =
      new JsonSchema(
          Map.of(
              "$schema",
              JsonSchema.DIALECT,
              "type",
              "object",
              "required",
              List.of("name"),
              "additionalProperties",
              false,
              "properties",
              Map.of(
                  "name", Map.of("type", "string", "minLength", 1),
                  "times", Map.of("type", "integer", "minimum", 1, "maximum", 10),
                  "tags", Map.of("type", "array", "items", Map.of("type", "string")))));

  @Test
  void aSchemaBreakingTheMetaSchemaIsReportedAtItsPointers() {
    JsonSchema broken =
        new JsonSchema(
            Map.of(
                "type", "objct",
                "required", "name",
                "properties", Map.of("name", Map.of("minLength", -1))));

    List<Violation> violations = validator.checkSchema(broken);

    assertThat(violations)
        .extracting(Violation::field)
        .contains("/type", "/required", "/properties/name/minLength");
  }

  @Test
  void aReferenceToNothingIsRefused() {
    JsonSchema schema =
        new JsonSchema(
            Map.of("type", "object", "properties", Map.of("a", Map.of("$ref", "#/$defs/none"))));

    assertThat(validator.checkSchema(schema))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEmpty();
              assertThat(v.message()).startsWith("cannot be used: ").contains("/$defs/none");
            });
  }

  @Test
  void aReferenceOutsideTheDocumentIsRefusedAndNeverLoaded() {
    JsonSchema schema =
        new JsonSchema(
            Map.of(
                "type",
                "object",
                "properties",
                Map.of(
                    "a", Map.of("$ref", "https://example.com/schema.json"),
                    "b", Map.of("$ref", "classpath:draft/2020-12/schema"))));

    assertThat(validator.checkSchema(schema))
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("/properties/a/$ref", "/properties/b/$ref");
    assertThatThrownBy(
            () -> validator.validate(schema, Map.of("b", "x")),
            "the loader itself refuses it too, should a stored schema hold one")
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not allowed to be loaded");
  }

  @Test
  void localReferencesAndAnchorsWork() {
    JsonSchema schema =
        new JsonSchema(
            Map.of(
                "type",
                "object",
                "$defs",
                Map.of("word", Map.of("$anchor", "word", "type", "string")),
                "properties",
                Map.of("a", Map.of("$ref", "#/$defs/word"), "b", Map.of("$ref", "#word"))));

    assertThat(validator.checkSchema(schema)).isEmpty();
    assertThat(validator.validate(schema, Map.of("a", BigDecimal.ONE, "b", true)))
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("/a", "/b");
  }

  @Test
  void aPatternThatIsNoRegexIsRefused() {
    JsonSchema schema =
        new JsonSchema(
            Map.of("type", "object", "properties", Map.of("a", Map.of("pattern", "[a-"))));

    assertThat(validator.checkSchema(schema))
        .singleElement()
        .extracting(Violation::message)
        .asString()
        .startsWith("cannot be used: ")
        .doesNotContain("\n");
  }

  @Test
  void everyViolationOfAValueIsListedAtItsPointer() {
    Parameters parameters =
        new Parameters(Map.of("times", 11, "tags", List.of("a", 2), "colour", "red"));

    List<Violation> violations = validator.validate(GREETER, parameters.values());

    assertThat(violations)
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("/name", "/times", "/tags/1", "/colour");
    assertThat(violations)
        .filteredOn(v -> v.field().equals("/name"))
        .extracting(Violation::message)
        .containsExactly("is required");
    assertThat(violations)
        .filteredOn(v -> v.field().equals("/colour"))
        .extracting(Violation::message)
        .containsExactly("is not allowed by the schema");
  }

  @Test
  void aMatchingValueHasNoViolations() {
    Parameters parameters = new Parameters(Map.of("name", "Ada", "times", 3, "tags", List.of("x")));

    assertThat(validator.validate(GREETER, parameters.values())).isEmpty();
  }

  @Test
  void decimalsWithoutAFractionAreIntegers() {
    // Parameters hold every number as a BigDecimal; 2020-12 counts 3.0 as an integer too.
    assertThat(validator.validate(GREETER, Map.of("name", "Ada", "times", new BigDecimal("3.0"))))
        .isEmpty();
    assertThat(validator.validate(GREETER, Map.of("name", "Ada", "times", new BigDecimal("2.5"))))
        .extracting(Violation::field)
        .containsExactly("/times");
  }

  @Test
  void aSchemaMayHoldJsonNull() {
    Map<String, Object> property = new HashMap<>();
    property.put("const", null);
    JsonSchema schema =
        new JsonSchema(Map.of("type", "object", "properties", Map.of("nothing", property)));

    assertThat(validator.checkSchema(schema)).isEmpty();
    assertThat(validator.validateJson(schema, "{\"nothing\": null}")).isEmpty();
    assertThat(validator.validateJson(schema, "{\"nothing\": 0}"))
        .extracting(Violation::field)
        .containsExactly("/nothing");
  }

  @Test
  void aResultIsValidatedAsTheJsonItIs() {
    JsonSchema output =
        new JsonSchema(
            Map.of(
                "type", "object",
                "required", List.of("greeting"),
                "properties", Map.of("greeting", Map.of("type", "string"))));

    assertThat(validator.validateJson(output, "{\"greeting\": \"hello\"}")).isEmpty();
    assertThat(validator.validateJson(output, "{\"greeting\": 0.1}"))
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.field()).isEqualTo("/greeting");
              assertThat(v.message()).contains("number").contains("string");
            });
    assertThat(validator.validateJson(output, "[1, 2]"))
        .singleElement()
        .extracting(Violation::field)
        .isEqualTo("");
  }

  @Test
  void aValueBreakingTheSchemaEverywhereIsReportedUpToTheLimit() {
    JsonSchema strings =
        new JsonSchema(Map.of("type", "object", "additionalProperties", Map.of("type", "string")));
    Map<String, Object> many = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      many.put("p" + i, i);
    }

    List<Violation> violations = validator.validate(strings, many);

    assertThat(violations).hasSize(NetworkntSchemaValidator.MAX_VIOLATIONS + 1);
    assertThat(violations.get(violations.size() - 1).message()).contains("more places");
  }

  @Test
  void messagesAreInEnglishWhateverTheLocale() {
    Locale before = Locale.getDefault();
    try {
      Locale.setDefault(Locale.GERMAN);
      NetworkntSchemaValidator german = NetworkntSchemaValidator.create();
      List<Violation> violations =
          german.validate(GREETER, Map.of("name", "Ada", "times", "three"));
      assertThat(violations)
          .extracting(Violation::message)
          .containsExactly("string found, integer expected");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void aValidatorIsSafeToShareAcrossThreads() throws Exception {
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      Thread thread =
          new Thread(
              () -> {
                try {
                  for (int i = 0; i < 200; i++) {
                    assertThat(validator.validate(GREETER, Map.of("times", i % 20)))
                        .extracting(Violation::field)
                        .contains("/name");
                  }
                } catch (Throwable e) {
                  failures.add(e);
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();
  }
}
