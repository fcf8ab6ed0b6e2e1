package dev.toolrun.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretReferenceTest {
  @Test
  void anEnvironmentReferenceNamesAVariable() {
    assertThat(SecretReference.parse("env:GREETER_TOKEN"))
        .isEqualTo(new SecretReference.Environment("GREETER_TOKEN"))
        .hasToString("env:GREETER_TOKEN");
  }

  @Test
  void aFileReferenceNamesAnAbsolutePath() {
    assertThat(SecretReference.parse("file:/run/secrets/token"))
        .isEqualTo(new SecretReference.File(Path.of("/run/secrets/token")))
        .hasToString("file:/run/secrets/token");
  }

  @Test
  void aLiteralValueIsRefusedWithoutBeingEchoed() {
    assertThatThrownBy(() -> SecretReference.parse("hunter2-the-actual-secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("env:VARIABLE or file:/absolute/path")
        .hasMessageNotContaining("hunter2");
  }

  @ParameterizedTest
  @ValueSource(strings = {"env:", "env:1ABC", "env:A-B", "file:relative/path", "file:"})
  void aMalformedReferenceIsRefused(String text) {
    assertThatThrownBy(() -> SecretReference.parse(text))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
