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
}
