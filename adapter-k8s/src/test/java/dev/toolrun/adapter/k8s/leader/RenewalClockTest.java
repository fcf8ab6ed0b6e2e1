package dev.toolrun.adapter.k8s.leader;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The watchdog's decision: a leader stops once its renew deadline passed without a renewal. */
class RenewalClockTest {
  private static final Duration DEADLINE = Duration.ofSeconds(5);

  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final RenewalClock clock = new RenewalClock(DEADLINE, nanos::get);

  private void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  @Test
  void aReplicaThatNeverRenewedHasNothingToStop() {
    advance(Duration.ofMinutes(1));
    assertThat(clock.deadlinePassed()).isFalse();
  }

  @Test
  void theDeadlineCountsFromWhenTheSuccessfulRenewalWasSentNotFromItsAnswer() {
    long sent = clock.now();
    advance(Duration.ofSeconds(3)); // a slow answer
    clock.renewed(sent);
    advance(Duration.ofMillis(1999));
    assertThat(clock.deadlinePassed()).isFalse();
    advance(Duration.ofMillis(2));
    assertThat(clock.deadlinePassed()).as("5 s after the request was sent").isTrue();
  }

  @Test
  void eachRenewalMovesTheDeadlineAndALateAnswerOfAnOlderOneDoesNotMoveItBack() {
    long first = clock.now();
    advance(Duration.ofSeconds(1));
    long second = clock.now();
    clock.renewed(second);
    clock.renewed(first);
    advance(Duration.ofMillis(4999));
    assertThat(clock.deadlinePassed()).isFalse();
    advance(Duration.ofMillis(2));
    assertThat(clock.deadlinePassed()).isTrue();
  }
}
