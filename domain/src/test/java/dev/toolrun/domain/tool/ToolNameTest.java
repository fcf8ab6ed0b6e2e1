package dev.toolrun.domain.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.ValidationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ToolNameTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "echo",
        "word-count",
        "x1",
        "1x",
        "a23456789012345678901234567890123456789012345678901234567890123"
      })
  void acceptsDns1123Labels(String name) {
    assertThat(new ToolName(name).value()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Echo",
        "-echo",
        "echo-",
        "word_count",
        "a.b",
        "é",
        "a234567890123456789012345678901234567890123456789012345678901234"
      })
  void rejectsAnythingElse(String name) {
    assertThatThrownBy(() -> new ToolName(name))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("is not a valid tool name");
  }
}
