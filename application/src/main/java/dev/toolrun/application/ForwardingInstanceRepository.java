package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Instance records that do what the ones they wrap do. The core's decorators of the records (the
 * log tail kept at an end, the changes told to watchers, the runs measured) extend it and override
 * only the writes they add to, so a method the port gains is forwarded by all of them at once.
 */
abstract class ForwardingInstanceRepository implements InstanceRepository {
  private final InstanceRepository records;

  ForwardingInstanceRepository(InstanceRepository records) {
    this.records = requireNonNull(records, "records is null");
  }

  @Override
  public void add(Instance instance) {
    records.add(instance);
  }

  @Override
  public Instance update(InstanceId id, UnaryOperator<Instance> change) {
    return records.update(id, change);
  }

  /**
   * Updates as {@link #update} does, and says what the record held just before the change that was
   * stored: the change may run more than once, and the last run is the one whose result was stored.
   */
  final Stored updateSeeingBefore(InstanceId id, UnaryOperator<Instance> change) {
    AtomicReference<Instance> before = new AtomicReference<>();
    Instance after =
        records.update(
            id,
            current -> {
              before.set(current);
              return change.apply(current);
            });
    return new Stored(before.get(), after);
  }

  /**
   * An update as it was stored.
   *
   * @param before what the record held before, or null when the change never ran
   * @param after what it holds now
   */
  record Stored(Instance before, Instance after) {}

  @Override
  public Optional<Instance> find(InstanceId id) {
    return records.find(id);
  }

  @Override
  public boolean findMayBlock() {
    return records.findMayBlock();
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
  public void whenRemoved(Consumer<InstanceId> listener) {
    records.whenRemoved(listener);
  }
}
