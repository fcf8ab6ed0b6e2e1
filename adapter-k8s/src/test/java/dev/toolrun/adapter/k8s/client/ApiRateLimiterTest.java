package dev.toolrun.adapter.k8s.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.ApiRateLimit;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The token bucket in front of toolrun's API requests, on a clock the test moves. */
class ApiRateLimiterTest {
  private static final long MILLI = 1_000_000L;

  private final AtomicLong now = new AtomicLong();

  @Test
  void aBurstIsTakenAtOnceThenTokensComeBackAtTheRate() {
    ApiRateLimiter limiter = new ApiRateLimiter(new ApiRateLimit(10, 3), now::get);

    assertThat(limiter.tryAcquire(3)).isTrue();
    assertThat(limiter.tryAcquire(1)).isFalse();

    now.addAndGet(100 * MILLI);
    assertThat(limiter.tryAcquire(1)).isTrue();
    assertThat(limiter.tryAcquire(1)).isFalse();
  }

  @Test
  void aReservationTakesTokensInAdvanceAndSaysHowLongToWait() {
    ApiRateLimiter limiter = new ApiRateLimiter(new ApiRateLimit(10, 1), now::get);
    assertThat(limiter.reserve(1)).isZero();

    assertThat(limiter.reserve(1)).isEqualTo(Duration.ofMillis(100));

    now.addAndGet(100 * MILLI);
    // The token that came back is the reservation's.
    assertThat(limiter.tryAcquire(1)).isFalse();
  }

  @Test
  // A take that queued behind the waiting caller would never return on the stopped clock.
  @Timeout(30)
  void takingAheadGoesBeforeACallerAlreadyWaiting() throws Exception {
    // 1,000 a second: taking ahead of an empty bucket sleeps about a millisecond of real time,
    // while the bucket refills only as the test moves its clock.
    ApiRateLimiter limiter = new ApiRateLimiter(new ApiRateLimit(1000, 1), now::get);
    limiter.take(1);
    CompletableFuture<Void> waited = new CompletableFuture<>();
    Thread first =
        new Thread(
            () -> {
              limiter.take(1);
              waited.complete(null);
            });
    first.start();
    // Asleep in acquire: it found the bucket empty.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> first.getState() == Thread.State.TIMED_WAITING);

    limiter.takeAhead(1);

    // The claim has its token; the caller who came first still waits, now for two refills.
    assertThat(waited).isNotDone();
    now.addAndGet(MILLI);
    assertThat(limiter.tryAcquire(1)).isFalse();
    now.addAndGet(MILLI);
    await().atMost(Duration.ofSeconds(10)).until(waited::isDone);
    first.join();
  }

  @Test
  void moreTokensThanTheBurstAtOnceAreRefused() {
    ApiRateLimiter limiter = new ApiRateLimiter(new ApiRateLimit(10, 3), now::get);

    assertThatThrownBy(() -> limiter.take(4))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 1 and 3");
  }
}
