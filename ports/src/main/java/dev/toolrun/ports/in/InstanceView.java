package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import java.util.Optional;

/**
 * An instance as its readers see it.
 *
 * @param queuePosition for a PENDING instance waiting for capacity, its place in the queue (1 is
 *     next); empty otherwise
 * @param log whether its log is all there; empty when not looked at
 */
public record InstanceView(
    Instance instance, Optional<Integer> queuePosition, Optional<LogStatus> log) {
  public InstanceView {
    requireNonNull(instance, "instance is null");
    requireNonNull(queuePosition, "queuePosition is null");
    requireNonNull(log, "log is null");
  }

  /** A view that says nothing of the log. */
  public InstanceView(Instance instance, Optional<Integer> queuePosition) {
    this(instance, queuePosition, Optional.empty());
  }
}
