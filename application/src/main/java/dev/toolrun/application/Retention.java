package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long records of ended instances are kept: at most {@code maxAge} after they ended, and at
 * most the {@code maxEnded} most recent ones. Active instances are never removed.
 */
public record Retention(Duration maxAge, int maxEnded) {
  public static final Retention DEFAULT = new Retention(Duration.ofDays(7), 10_000);

  public Retention {
    requireNonNull(maxAge, "maxAge is null");
    if (maxAge.compareTo(Duration.ofMinutes(1)) < 0) {
      throw new IllegalArgumentException(
          "records must be kept for at least a minute, not " + maxAge);
    }
    if (maxEnded < 1) {
      throw new IllegalArgumentException("at least one ended record must be kept, not " + maxEnded);
    }
  }
}
