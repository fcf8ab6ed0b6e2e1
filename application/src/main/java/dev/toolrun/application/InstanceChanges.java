package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.InstanceRepository;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The instance records as the application services see them, telling listeners of each instance
 * created and of each change of state. Every write of the core goes through it, whoever makes it (a
 * launch, the runtime's progress, a cancel, recovery), so watchers hear of them all.
 */
final class InstanceChanges extends ForwardingInstanceRepository {
  private static final Logger LOG = System.getLogger(InstanceChanges.class.getName());

  /** Hears of changes on the writer's thread, so it must only hand work off. */
  @FunctionalInterface
  interface Listener {
    /**
     * Instance {@code after} was created ({@code before} empty) or changed state from {@code
     * before}.
     */
    void changed(Optional<Instance> before, Instance after);
  }

  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();

  InstanceChanges(InstanceRepository records) {
    super(records);
  }

  void listen(Listener listener) {
    listeners.add(requireNonNull(listener, "listener is null"));
  }

  void forget(Listener listener) {
    listeners.remove(listener);
  }

  @Override
  public void add(Instance instance) {
    super.add(instance);
    publish(Optional.empty(), instance);
  }

  @Override
  public Instance update(InstanceId id, UnaryOperator<Instance> change) {
    Stored stored = updateSeeingBefore(id, change);
    Instance before = stored.before();
    if (before == null || before.state() != stored.after().state()) {
      publish(Optional.ofNullable(before), stored.after());
    }
    return stored.after();
  }

  private void publish(Optional<Instance> before, Instance after) {
    for (Listener listener : listeners) {
      try {
        listener.changed(before, after);
      } catch (RuntimeException e) {
        // A watcher's failure must never fail the write that it was told of.
        LOG.log(Level.WARNING, "a listener of instance changes failed", e);
      }
    }
  }
}
