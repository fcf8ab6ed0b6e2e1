package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * The outcome of a service instance's health checks so far; tasks keep {@link #UNCHECKED}.
 *
 * @param consecutiveFailures failed checks since the last one that passed
 */
public record ServiceHealth(
    Optional<Instant> lastCheckAt,
    Optional<Instant> lastHealthyAt,
    Optional<String> lastError,
    int consecutiveFailures) {

  public static final ServiceHealth UNCHECKED =
      new ServiceHealth(Optional.empty(), Optional.empty(), Optional.empty(), 0);

  public ServiceHealth {
    requireNonNull(lastCheckAt, "lastCheckAt is null");
    requireNonNull(lastHealthyAt, "lastHealthyAt is null");
    requireNonNull(lastError, "lastError is null");
    if (consecutiveFailures < 0) {
      throw new IllegalArgumentException("consecutiveFailures must not be negative");
    }
  }

  /** The health after a check at {@code at} passed. */
  public ServiceHealth passed(Instant at) {
    return new ServiceHealth(Optional.of(at), Optional.of(at), Optional.empty(), 0);
  }

  /** The health after a check at {@code at} failed with {@code error}. */
  public ServiceHealth failed(Instant at, String error) {
    return new ServiceHealth(
        Optional.of(at), lastHealthyAt, Optional.of(error), consecutiveFailures + 1);
  }
}
