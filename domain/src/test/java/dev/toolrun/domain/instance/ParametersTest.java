package dev.toolrun.domain.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.ValidationException;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParametersTest {

  @Test
  void numbersAreNormalisedSoEqualInputsCompareEqual() {
    Parameters ints = new Parameters(Map.of("n", 3, "list", List.of(1L, 2.5)));
    Parameters decimals =
        new Parameters(
            Map.of(
                "n", new BigDecimal("3"), "list", List.of(BigDecimal.ONE, new BigDecimal("2.5"))));

    assertThat(ints).isEqualTo(decimals);
  }

  @Test
  void nullValuesAndDeepNestingAreRejectedWithTheirPath() {
    Map<String, Object> withNull = new HashMap<>();
    withNull.put("a", null);
    assertThatThrownBy(() -> new Parameters(Map.of("outer", withNull)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("outer.a");

    Object deep = "leaf";
    for (int i = 0; i < 40; i++) {
      deep = List.of(deep);
    }
    Object tooDeep = deep;
    assertThatThrownBy(() -> new Parameters(Map.of("x", tooDeep)))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("nests deeper than 32 levels");
  }

  @Test
  void unsupportedTypesAreRejected() {
    assertThatThrownBy(() -> new Parameters(Map.of("x", new Object())))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("unsupported type");
  }

  @Test
  void areHeldAsCanonicalTextWhetherGivenAsTextOrAsValues() {
    Parameters text =
        new Parameters(" { \"b\" : [1, 2.50, {\"y\":true,\"x\":\"\\u00e9\"}], \"a\":1e3 } ");
    Parameters values =
        new Parameters(
            Map.of(
                "a",
                new BigDecimal("1e3"),
                "b",
                List.of(1, new BigDecimal("2.50"), Map.of("x", "é", "y", true))));

    assertThat(text.json()).isEqualTo("{\"a\":1E+3,\"b\":[1,2.50,{\"x\":\"é\",\"y\":true}]}");
    assertThat(values).isEqualTo(text);
    assertThat(text.values()).isEqualTo(values.values());
    assertThat(Parameters.NONE.isEmpty()).isTrue();
  }

  @Test
  void textThatIsNoObjectOfValuesIsRefusedWithItsPath() {
    assertThatThrownBy(() -> new Parameters("[1]")).hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> new Parameters("{\"a\":{\"b\":null}}"))
        .hasMessageContaining("a.b")
        .hasMessageContaining("must not be null");
    assertThatThrownBy(() -> new Parameters("{\"a\":1,\"a\":2}"))
        .hasMessageContaining("given more than once");
    assertThatThrownBy(() -> new Parameters("{\"a\":[1,}"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> new Parameters("{\"a\":1} {}")).hasMessageContaining("more than one");
    assertThatThrownBy(() -> new Parameters("[".repeat(40) + "]".repeat(40)))
        .hasMessageContaining("nests deeper than 32 levels");
  }

  @Test
  void retainTheBytesOfTheirTextNotOfATreeOfObjects() {
    String arrays = "[],".repeat(49_999) + "[]";
    Parameters dense = new Parameters("{\"a\":[" + arrays + "]}");

    assertThat(dense.retainedBytes()).isLessThan(dense.json().length() + 100L);
    assertThat(new Parameters(Map.of("t", "中")).retainedBytes())
        .as("text beyond Latin-1 takes two bytes a character")
        .isEqualTo(40 + 2L * "{\"t\":\"中\"}".length());
  }
}
