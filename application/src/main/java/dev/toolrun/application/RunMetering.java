package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.RunMetrics;
import dev.toolrun.ports.out.RunMetrics.Phase;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The instance records as the services see them, measured: every launch stored and every end
 * stored, whoever wrote it (the starter, the runtime's observations, a cancel, a stop, the health
 * monitor), is told to {@link RunMetrics} here, once, after the write. Measuring at the records
 * rather than in each service is what keeps the counts whole: there is one place where an instance
 * ends, and it is its write.
 *
 * <p>A run's phases are read from its history when it ends, so each run gives each phase it went
 * through one observation, and none is measured twice. So are the lines its log dropped: by then
 * the runtime has drained the run's output into the log, so the count is final.
 */
final class RunMetering extends ForwardingInstanceRepository {
  private final RunMetrics metrics;
  private final LogStore logs;
  private final Clock clock;

  RunMetering(InstanceRepository records, LogStore logs, RunMetrics metrics, Clock clock) {
    super(records);
    this.logs = requireNonNull(logs, "logs is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public void add(Instance instance) {
    super.add(instance);
    metrics.launched(instance.toolName(), instance.mode());
  }

  @Override
  public Instance update(InstanceId id, UnaryOperator<Instance> change) {
    Stored stored = updateSeeingBefore(id, change);
    Instance after = stored.after();
    if (stored.before() != null && !stored.before().isTerminal() && after.isTerminal()) {
      ended(after);
    }
    if (stored.before() != null && stored.before().start().isEmpty()) {
      after.start().ifPresent(how -> metrics.started(after.toolName(), how));
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
    long dropped = logs.tail(instance.id(), 1).droppedLines();
    if (dropped > 0) {
      metrics.logLinesDropped(instance.toolName(), instance.mode(), dropped);
    }
  }

  private void phase(Phase phase, Instance instance, Instant from, Instant to) {
    Duration took = Duration.between(from, to);
    // Times come from clocks that may disagree by a little (the runtime's and toolrun's).
    metrics.phase(phase, instance.mode(), took.isNegative() ? Duration.ZERO : took);
  }
}
