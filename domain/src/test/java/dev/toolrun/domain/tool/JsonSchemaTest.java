package dev.toolrun.domain.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.ValidationException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonSchemaTest {

  @Test
  void numbersAreNormalisedAndNullIsKept() {
    Map<String, Object> nothing = new HashMap<>();
    nothing.put("const", null);
    JsonSchema schema =
        new JsonSchema(Map.of("minimum", 1, "maximum", 2.5, "properties", Map.of("n", nothing)));

    assertThat(schema.document().get("minimum")).isEqualTo(BigDecimal.ONE);
    assertThat(schema.document().get("maximum")).isEqualTo(new BigDecimal("2.5"));
    Object n = ((Map<?, ?>) schema.document().get("properties")).get("n");
    assertThat(n).isInstanceOfSatisfying(Map.class, map -> assertThat(map).containsKey("const"));
    assertThat(((Map<?, ?>) n).get("const")).isNull();
  }

  @Test
  void keyOrderIsKeptButDoesNotMakeADifferentSchema() {
    Map<String, Object> ab = new LinkedHashMap<>();
    ab.put("a", Map.of("type", "string"));
    ab.put("b", Map.of("type", "string"));
    Map<String, Object> ba = new LinkedHashMap<>();
    ba.put("b", Map.of("type", "string"));
    ba.put("a", Map.of("type", "string"));

    JsonSchema first = new JsonSchema(Map.of("properties", ab));
    JsonSchema second = new JsonSchema(Map.of("properties", ba));

    assertThat(first).isEqualTo(second).hasSameHashCodeAs(second);
    assertThat(List.copyOf(((Map<?, ?>) first.document().get("properties")).keySet()))
        .isEqualTo(List.of("a", "b"));
  }

  @Test
  void onlyThe2020_12DialectIsAccepted() {
    assertThat(new JsonSchema(Map.of("$schema", JsonSchema.DIALECT)).document()).hasSize(1);
    assertThatThrownBy(
            () -> new JsonSchema(Map.of("$schema", "http://json-schema.org/draft-07/schema#")))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("2020-12");
  }

  @Test
  void aSchemaIsBoundedInDepthAndSize() {
    Map<String, Object> deep = Map.of("type", "string");
    for (int i = 0; i < JsonSchema.MAX_DEPTH; i++) {
      deep = Map.of("not", deep);
    }
    Map<String, Object> tooDeep = deep;
    assertThatThrownBy(() -> new JsonSchema(tooDeep))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("nests deeper than 32 levels");

    Map<String, Object> wide = new LinkedHashMap<>();
    for (int i = 0; i < 2000; i++) {
      wide.put("property" + i, Map.of("type", "string", "minLength", 1));
    }
    assertThatThrownBy(() -> new JsonSchema(Map.of("properties", wide)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("must be at most 65536 characters of JSON");
  }

  @Test
  void declaredTypesAndNamedPropertiesReadTheRoot() {
    JsonSchema schema =
        new JsonSchema(
            Map.of(
                "type",
                List.of("object", "null"),
                "required",
                List.of("a", "c"),
                "properties",
                Map.of("a", Map.of(), "b", Map.of())));

    assertThat(schema.declaredTypes()).containsExactly("object", "null");
    assertThat(schema.namedProperties()).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(new JsonSchema(Map.of()).declaredTypes()).isEmpty();
  }

  @Test
  void unsupportedValuesAreRefused() {
    assertThatThrownBy(() -> new JsonSchema(Map.of("x", new Object())))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("unsupported type Object");
    assertThatThrownBy(() -> new JsonSchema(Map.of("x", Double.NaN)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("finite");
  }
}
