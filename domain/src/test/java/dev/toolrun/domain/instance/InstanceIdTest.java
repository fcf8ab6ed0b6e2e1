package dev.toolrun.domain.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.ValidationException;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class InstanceIdTest {

  @Test
  void generatedIdsAreVersion7UuidsThatSortByTime() {
    Random random = new Random(42);
    InstanceId earlier = InstanceId.generate(Instant.parse("2026-01-01T00:00:00Z"), random);
    InstanceId later = InstanceId.generate(Instant.parse("2026-01-01T00:00:00.001Z"), random);

    assertThat(UUID.fromString(earlier.value()).version()).isEqualTo(7);
    assertThat(UUID.fromString(earlier.value()).variant()).isEqualTo(2);
    assertThat(earlier).isLessThan(later);
  }

  @Test
  void rejectsWhatIsNotALowerCaseUuid() {
    assertThatThrownBy(() -> new InstanceId("0193A9B2-7C1D-7AAA-8BBB-0123456789AB"))
        .isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> new InstanceId("../etc/passwd"))
        .isInstanceOf(ValidationException.class);
  }
}
