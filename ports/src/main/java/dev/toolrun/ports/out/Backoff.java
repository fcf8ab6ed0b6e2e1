package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long to wait before trying something again that failed for a reason that may pass (a runtime
 * or a store that cannot be reached): {@code initial} before the first retry, then {@code
 * multiplier} times longer each time, never more than {@code max}. The one backoff rule of toolrun,
 * used by the application and by the adapters alike.
 *
 * @param initial the wait before the first retry (attempt 0)
 * @param max the longest wait
 * @param multiplier how much longer each wait is than the one before; 1 waits {@code initial} every
 *     time
 */
public record Backoff(Duration initial, Duration max, double multiplier) {

  public Backoff {
    requireNonNull(initial, "initial is null");
    requireNonNull(max, "max is null");
    if (initial.isNegative() || initial.isZero()) {
      throw new IllegalArgumentException("initial must be positive, was " + initial);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("max must not be less than initial, was " + max);
    }
    if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
    }
  }

  /** Doubling from {@code initial} up to {@code max}. */
  public static Backoff doubling(Duration initial, Duration max) {
    return new Backoff(initial, max, 2);
  }

  /**
   * The wait before retry number {@code attempt}, counted from 0: {@code initial ×
   * multiplier^attempt}, at most {@code max}.
   */
  public Duration delay(int attempt) {
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must not be negative, was " + attempt);
    }
    double nanos = initial.toNanos() * Math.pow(multiplier, attempt);
    return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
  }
}
