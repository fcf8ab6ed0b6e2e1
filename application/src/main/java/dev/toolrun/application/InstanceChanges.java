package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The instance records as the application services see them, telling listeners of each instance
 * created and of each change of state. Every write of the core goes through it, whoever makes it (a
 * launch, the runtime's progress, a cancel, recovery), so watchers hear of them all.
 */
final class InstanceChanges implements InstanceRepository {
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

  private final InstanceRepository records;
  private final Set<Listener> listeners = ConcurrentHashMap.newKeySet();

  InstanceChanges(InstanceRepository records) {
    this.records = requireNonNull(records, "records is null");
  }

  void listen(Listener listener) {
    listeners.add(requireNonNull(listener, "listener is null"));
  }

  void forget(Listener listener) {
    listeners.remove(listener);
  }

  @Override
  public void add(Instance instance) {
    records.add(instance);
    publish(Optional.empty(), instance);
  }

  @Override
  public Instance update(InstanceId id, UnaryOperator<Instance> change) {
    // The change may run more than once; the last run is the one whose result was stored.
    AtomicReference<Instance> before = new AtomicReference<>();
    Instance stored =
        records.update(
            id,
            current -> {
              before.set(current);
              return change.apply(current);
            });
    if (before.get() == null || before.get().state() != stored.state()) {
      publish(Optional.ofNullable(before.get()), stored);
    }
    return stored;
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

  @Override
  public Optional<Instance> find(InstanceId id) {
    return records.find(id);
  }

  @Override
  public Page<Instance> list(InstanceFilter filter, PageRequest page) {
    return records.list(filter, page);
  }

  @Override
  public boolean remove(InstanceId id) {
    return records.remove(id);
  }

  @Override
  public Optional<Instance> findByIdempotencyKey(String key) {
    return records.findByIdempotencyKey(key);
  }

  @Override
  public long retainedBytes() {
    return records.retainedBytes();
  }

  @Override
  public void whenRemoved(java.util.function.Consumer<InstanceId> listener) {
    records.whenRemoved(listener);
  }
}
