package dev.toolrun.domain.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.ValidationException;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class QuantityTest {

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "500m, 0.5",
    "2, 2",
    "1.5, 1.5",
    "100n, 0.0000001",
    "1u, 0.000001",
    "1k, 1000",
    "2Gi, 2147483648",
    "512Mi, 536870912",
    "1Ki, 1024",
    "1e3, 1000",
    "1E3, 1000",
    "2E, 2000000000000000000",
    ".5, 0.5",
    "+1, 1",
    "0, 0"
  })
  void parsesTheKubernetesGrammarExactly(String text, String amount) {
    Quantity q = Quantity.parse(text);

    assertThat(q.amount()).isEqualByComparingTo(new BigDecimal(amount));
    assertThat(q.text()).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "abc", "1.5.5", "2 Gi", "2gi", "1Qi", "-1", "1e19", "1e-10", "0.1n", "10Ei", "Gi", "1e"
      })
  void rejectsWhatIsNotAUsableQuantity(String text) {
    assertThatThrownBy(() -> Quantity.parse(text))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("'" + text + "'");
  }

  @Test
  void equalAmountsAreEqualWhateverTheSpelling() {
    assertThat(Quantity.parse("1Gi")).isEqualTo(Quantity.parse("1024Mi"));
    assertThat(Quantity.parse("1Gi")).hasSameHashCodeAs(Quantity.parse("1024Mi"));
    assertThat(Quantity.parse("1000m")).isEqualTo(Quantity.parse("1"));
    assertThat(Quantity.parse("1G")).isNotEqualTo(Quantity.parse("1Gi"));
  }

  @Test
  void comparesByAmount() {
    assertThat(Quantity.parse("500m")).isLessThan(Quantity.parse("1"));
    assertThat(Quantity.parse("1Gi")).isGreaterThan(Quantity.parse("1G"));
  }

  @Test
  void aRequestAboveItsLimitIsRejected() {
    assertThatThrownBy(() -> ResourceRange.of("2", "500m"))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("request 2 is greater than limit 500m");
  }
}
