package dev.toolrun.ports.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private static final Backoff HALF_SECOND_TO_30 =
      Backoff.doubling(Duration.ofMillis(500), Duration.ofSeconds(30));

  @Test
  void eachWaitIsTheMultipleOfTheOneBeforeUntilTheMaximum() {
    assertThat(IntStream.range(0, 9).mapToObj(HALF_SECOND_TO_30::delay).map(Duration::toMillis))
        .containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
  }

  @Test
  void aLateAttemptWaitsTheMaximumAndDoesNotOverflow() {
    assertThat(HALF_SECOND_TO_30.delay(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(30));
    assertThat(new Backoff(Duration.ofSeconds(1), Duration.ofDays(1), 10).delay(1_000))
        .isEqualTo(Duration.ofDays(1));
  }

  @Test
  void aMultiplierOfOneWaitsTheSameEveryTime() {
    Backoff steady = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(1), 1);

    assertThat(steady.delay(0)).isEqualTo(Duration.ofMillis(50));
    assertThat(steady.delay(20)).isEqualTo(Duration.ofMillis(50));
  }

  @Test
  void aFractionalMultiplierGrowsGently() {
    Backoff gentle = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 1.5);

    assertThat(gentle.delay(2)).isEqualTo(Duration.ofMillis(2_250));
  }

  @Test
  void nonsenseIsRefused() {
    assertThatThrownBy(() -> Backoff.doubling(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("initial");
    assertThatThrownBy(() -> Backoff.doubling(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("max");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2), Double.NaN))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> HALF_SECOND_TO_30.delay(-1)).hasMessageContaining("attempt");
  }
}
