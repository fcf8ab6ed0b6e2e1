package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** An instance entered {@code state} at {@code at}. */
public record StateChange(InstanceState state, Instant at) {
  public StateChange {
    requireNonNull(state, "state is null");
    requireNonNull(at, "at is null");
  }
}
