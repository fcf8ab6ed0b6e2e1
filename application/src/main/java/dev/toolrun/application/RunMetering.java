package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import dev.toolrun.ports.out.RunMetrics;
import dev.toolrun.ports.out.RunMetrics.Phase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The instance records as the services see them, measured: every launch stored and every end
 * stored, whoever wrote it (the starter, the runtime's observations, a cancel, a stop, the health
 * monitor), is told to {@link RunMetrics} here, once, after the write. Measuring at the records
 * rather than in each service is what keeps the counts whole: there is one place where an instance
 * ends, and it is its write.
 *
 * <p>A run's phases are read from its history when it ends, so each run gives each phase it went
 * through one observation, and none is measured twice.
 */
final class RunMetering implements InstanceRepository {
  private final InstanceRepository records;
  private final RunMetrics metrics;
  private final Clock clock;

  RunMetering(InstanceRepository records, RunMetrics metrics, Clock clock) {
    this.records = requireNonNull(records, "records is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public void add(Instance instance) {
    records.add(instance);
    metrics.launched(instance.toolName(), instance.mode());
  }

  @Override
  public Instance update(InstanceId id, UnaryOperator<Instance> change) {
    // The change may run more than once; the last run is the one whose result was stored.
    AtomicReference<Instance> before = new AtomicReference<>();
    Instance after =
        records.update(
            id,
            current -> {
              before.set(current);
              return change.apply(current);
            });
    if (before.get() != null && !before.get().isTerminal() && after.isTerminal()) {
      ended(after);
    }
    return after;
  }

  private void ended(Instance instance) {
    metrics.ended(
        instance.toolName(),
        instance.mode(),
        instance.state(),
        instance.failure().map(FailureReason::kind));
    Optional<Instant> creating = instance.enteredAt(InstanceState.CREATING);
    Optional<Instant> running = instance.enteredAt(InstanceState.RUNNING);
    Instant end = instance.updatedAt();
    creating.ifPresent(at -> phase(Phase.WAITING_FOR_CAPACITY, instance, instance.createdAt(), at));
    if (creating.isPresent() && running.isPresent()) {
      phase(Phase.CREATED_TO_RUNNING, instance, creating.get(), running.get());
    }
    running.ifPresent(at -> phase(Phase.RUNNING_TO_ENDED, instance, at, end));
    phase(Phase.END_TO_RECORD_STORED, instance, end, clock.instant());
  }

  private void phase(Phase phase, Instance instance, Instant from, Instant to) {
    Duration took = Duration.between(from, to);
    // Times come from clocks that may disagree by a little (the runtime's and toolrun's).
    metrics.phase(phase, instance.mode(), took.isNegative() ? Duration.ZERO : took);
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
