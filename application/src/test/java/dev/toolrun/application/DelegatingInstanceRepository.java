package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Records that do what the ones they wrap do; tests override the calls they interfere with. */
class DelegatingInstanceRepository implements InstanceRepository {
  private final InstanceRepository records;

  DelegatingInstanceRepository(InstanceRepository records) {
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
  public void whenRemoved(Consumer<InstanceId> listener) {
    records.whenRemoved(listener);
  }
}
