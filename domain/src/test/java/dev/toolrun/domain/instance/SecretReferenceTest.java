package dev.toolrun.domain.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretReferenceTest {

  @ParameterizedTest
  @ValueSource(strings = {"a", "api-token", "team.a.tokens", "0x1"})
  void aKubernetesObjectNameIsASecretName(String name) {
    assertThat(new SecretReference(name).name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "API", "-token", "token-", "a..b", "a_b", "a/b", ".a"})
  void whatKubernetesWouldNotNameIsRefusedWithTheNameField(String name) {
    assertThatThrownBy(() -> new SecretReference(name))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> assertThat(e.violations()).extracting(v -> v.field()).containsExactly("name"));
  }

  @Test
  void aNameHasAtMost253Characters() {
    assertThat(new SecretReference("a".repeat(253)).name()).hasSize(253);
    assertThatThrownBy(() -> new SecretReference("a".repeat(254)))
        .isInstanceOf(ValidationException.class);
  }
}
