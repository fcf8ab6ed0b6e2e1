package dev.toolrun.domain.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.instance.Parameters;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  @Test
  void writesEveryKindOfParameterValueInTheParametersOrder() {
    Parameters parameters =
        new Parameters(
            Map.of(
                "b", List.of(1, true, "x", List.of()),
                "a", Map.of("z", 1.5, "y", false),
                "c", Map.of()));

    assertThat(JsonText.write(parameters.values()))
        .isEqualTo("{\"a\":{\"y\":false,\"z\":1.5},\"b\":[1,true,\"x\",[]],\"c\":{}}");
  }

  @Test
  void escapesQuotesAndBackslashes() {
    assertThat(JsonText.write("say \"hi\" \\ C:\\temp"))
        .isEqualTo("\"say \\\"hi\\\" \\\\ C:\\\\temp\"");
  }

  @Test
  void escapesEveryControlCharacter() {
    assertThat(JsonText.write("\n\r\t\b\f")).isEqualTo("\"\\n\\r\\t\\b\\f\"");
    assertThat(JsonText.write("\u0000\u0001\u001f\u007f"))
        .isEqualTo("\"\\u0000\\u0001\\u001f\u007f\"");
  }

  @Test
  void keepsUnicodeButEscapesLineSeparatorsAndLoneSurrogates() {
    assertThat(JsonText.write("é 中 \uD83D\uDE00")).isEqualTo("\"é 中 \uD83D\uDE00\"");
    assertThat(JsonText.write("a\u2028b\u2029")).isEqualTo("\"a\\u2028b\\u2029\"");
    assertThat(JsonText.write("\uD83D x \uDE00")).isEqualTo("\"\\ud83d x \\ude00\"");
  }

  @Test
  void writesNumbersExactlyAndHugeExponentsShort() {
    assertThat(JsonText.write(new BigDecimal("-0.10"))).isEqualTo("-0.10");
    assertThat(JsonText.write(new BigDecimal("1E+1000000"))).isEqualTo("1E+1000000");
    assertThat(JsonText.write(new BigDecimal("12345678901234567890.5")))
        .isEqualTo("12345678901234567890.5");
  }

  @Test
  void refusesWhatJsonParametersCannotHold() {
    List<Object> withNull = new ArrayList<>();
    withNull.add(null);

    assertThatThrownBy(() -> JsonText.write(withNull)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonText.write(42)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JsonText.write(Map.of(1, "x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
