package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import java.util.Optional;

/**
 * An instance as its readers see it.
 *
 * @param queuePosition for a PENDING instance waiting for capacity, its place in the queue (1 is
 *     next); empty otherwise
 */
public record InstanceView(Instance instance, Optional<Integer> queuePosition) {
  public InstanceView {
    requireNonNull(instance, "instance is null");
    requireNonNull(queuePosition, "queuePosition is null");
  }
}
