package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpConfigTest {

  @Test
  void aBearerTokenMustBeUsable() {
    assertThatThrownBy(() -> Authentication.bearer(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be blank");
    assertThatThrownBy(() -> Authentication.bearer("token\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trailing newline");
    assertThatThrownBy(() -> Authentication.bearer(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void theTokenNeverShowsInText() {
    Authentication auth = Authentication.bearer("super-secret-token");
    HttpConfig config = new HttpConfig("0.0.0.0", 8080, auth);

    assertThat(auth.toString()).doesNotContain("super-secret-token");
    assertThat(config.toString()).doesNotContain("super-secret-token");
  }

  @Test
  void hostPortAndBodyLimitAreChecked() {
    Authentication auth = Authentication.anonymous();

    assertThatThrownBy(() -> new HttpConfig("", 8080, auth))
        .hasMessageContaining("host must not be blank");
    assertThatThrownBy(() -> new HttpConfig("h", 65536, auth))
        .hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(() -> new HttpConfig("h", -1, auth))
        .hasMessageContaining("between 0 and 65535");
    assertThatThrownBy(() -> new HttpConfig("h", 80, 0, auth))
        .hasMessageContaining("at least 1 byte");
    assertThatThrownBy(() -> new HttpConfig("h", 80, null))
        .isInstanceOf(NullPointerException.class);
    assertThat(new HttpConfig("h", 0, auth).maxBodyBytes()).isEqualTo(1024 * 1024);
  }
}
