package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogStore;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Removes the records (and logs) of ended instances that the retention policy no longer keeps, on a
 * schedule: anything that ended longer than {@code maxAge} ago, everything beyond the {@code
 * maxEnded} most recent, and the oldest while the records take more than their memory budget's
 * low-water mark. Removing is deliberate and logged; active instances are never touched.
 */
final class RetentionSweeper {
  private static final Logger LOG = System.getLogger(RetentionSweeper.class.getName());
  static final Duration EVERY = Duration.ofMinutes(1);

  private final InstanceRepository instances;
  private final LogStore logs;
  private final Retention retention;
  private final MemoryBudget budget;
  private final Clock clock;
  private final AtomicReference<ScheduledExecutorService> timer = new AtomicReference<>();
  private final AtomicBoolean extraSweepDue = new AtomicBoolean();

  RetentionSweeper(
      InstanceRepository instances,
      LogStore logs,
      Retention retention,
      MemoryBudget budget,
      Clock clock) {
    this.instances = requireNonNull(instances, "instances is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.retention = requireNonNull(retention, "retention is null");
    this.budget = requireNonNull(budget, "budget is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Sweeps now and then every minute on {@code timer}. */
  void schedule(ScheduledExecutorService timer) {
    this.timer.set(timer);
    timer.scheduleWithFixedDelay(this::sweepQuietly, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Sweeps once more, at once, off the caller's thread: a launch was refused for want of room.
   * Calls while that sweep is due are one; before {@link #schedule} there is nothing to sweep yet.
   */
  void sweepSoon() {
    ScheduledExecutorService on = timer.get();
    if (on == null || !extraSweepDue.compareAndSet(false, true)) {
      return;
    }
    try {
      on.execute(
          () -> {
            extraSweepDue.set(false);
            sweepQuietly();
          });
    } catch (RejectedExecutionException closing) {
      extraSweepDue.set(false);
    }
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "removing old records failed; trying again in a minute: {0}",
          e.getMessage());
    }
  }

  /** Removes what the policy does not keep; how many records were removed. */
  int sweep() {
    EnumSet<InstanceState> ended = EnumSet.noneOf(InstanceState.class);
    for (InstanceState s : InstanceState.values()) {
      if (s.isTerminal()) {
        ended.add(s);
      }
    }
    InstanceFilter filter = new InstanceFilter(Optional.empty(), ended);
    Instant oldest = clock.instant().minus(retention.maxAge());
    int kept = 0;
    int removed = 0;
    for (Instance instance : instances.listAll(filter)) {
      // Newest first: the first maxEnded that are young enough stay.
      if (kept < retention.maxEnded() && !instance.updatedAt().isBefore(oldest)) {
        kept++;
      } else if (instances.remove(instance.id())) {
        logs.delete(instance.id());
        removed++;
      }
    }
    if (removed > 0) {
      LOG.log(
          Level.INFO,
          "removed {0} records of ended instances (kept: ended within {1}, at most {2})",
          removed,
          retention.maxAge(),
          retention.maxEnded());
    }
    return removed + withinBudget(filter);
  }

  // Oldest first, the ended records go while all records take more than the low-water mark: the
  // budget bounds them in bytes as maxEnded does in number, so that launches find room again.
  private int withinBudget(InstanceFilter ended) {
    if (instances.retainedBytes() <= budget.lowWaterBytes()) {
      return 0;
    }
    List<Instance> newestFirst = instances.listAll(ended);
    int removed = 0;
    for (int i = newestFirst.size() - 1;
        i >= 0 && instances.retainedBytes() > budget.lowWaterBytes();
        i--) {
      Instance instance = newestFirst.get(i);
      if (instances.remove(instance.id())) {
        logs.delete(instance.id());
        removed++;
      }
    }
    if (removed > 0) {
      LOG.log(
          Level.INFO,
          "removed {0} records of ended instances, oldest first, to keep the records within {1}%"
              + " of their memory budget of {2} bytes",
          removed,
          MemoryBudget.LOW_WATER_PERCENT,
          Long.toString(budget.bytes()));
    }
    return removed;
  }
}
