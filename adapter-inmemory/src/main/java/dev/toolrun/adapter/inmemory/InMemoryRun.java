package dev.toolrun.adapter.inmemory;

import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.LogStore;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One workload's run in the {@link InMemoryWorkloadRuntime}: it plays its {@link RunPlan} step by
 * step and reports each. Its steps execute on the scheduler thread; {@link #stop} may come from any
 * thread, so the run's state is guarded by its monitor. A step holds it while it reports, which is
 * what lets terminate promise silence once it returns; the listener therefore must not wait for
 * another thread that terminates the same run (recording a run's progress never does).
 */
final class InMemoryRun {
  private static final Logger LOG = System.getLogger(InMemoryWorkloadRuntime.class.getName());

  private final ScheduledExecutorService scheduler;
  private final LogStore logs;
  private final Clock clock;
  private final InstanceId id;
  private final ToolSpec spec;
  private final Optional<Duration> timeout;
  // A service's process; its own lock is only ever taken after this run's, never before.
  private final Optional<ServiceProcess> process;
  private final RecordRunProgressUseCase reportTo;
  // Dropped when the run is over, so an ended run keeps no log lines or result in memory.
  private Iterator<RunPlan.Step> remaining;
  private ScheduledFuture<?> nextStep;
  private ScheduledFuture<?> deadline;
  // Which plan the scheduled step belongs to: a step that was due as a replay began is dropped.
  private int planNumber;
  private boolean over;
  // When its process started (its RUNNING step played), told with its end as a cluster's is.
  private Optional<Instant> startedAt = Optional.empty();

  InMemoryRun(
      InstanceId id,
      ToolSpec spec,
      RunPlan plan,
      Optional<ServiceProcess> process,
      RecordRunProgressUseCase reportTo,
      ScheduledExecutorService scheduler,
      LogStore logs,
      Clock clock) {
    this.scheduler = scheduler;
    this.logs = logs;
    this.clock = clock;
    this.id = id;
    this.spec = spec;
    this.timeout = plan.deadline();
    this.remaining = plan.steps().iterator();
    this.process = process;
    this.reportTo = reportTo;
  }

  /** What it runs. */
  ToolSpec spec() {
    return spec;
  }

  /** A service's process; empty for a task. */
  Optional<ServiceProcess> process() {
    return process;
  }

  synchronized void begin() {
    scheduleNextStep();
    timeout.ifPresent(t -> deadline = schedule(() -> timeOut(t), t));
  }

  /** Plays {@code plan} from its start, in place of what was left of the current one. */
  synchronized void replay(RunPlan plan) {
    if (over) {
      return;
    }
    if (nextStep != null) {
      nextStep.cancel(false);
    }
    planNumber++;
    // A restarted process starts anew.
    startedAt = Optional.empty();
    remaining = plan.steps().iterator();
    scheduleNextStep();
  }

  private void scheduleNextStep() {
    if (!over && remaining.hasNext()) {
      RunPlan.Step step = remaining.next();
      int plan = planNumber;
      nextStep = schedule(() -> play(step, plan), step.delay());
    }
  }

  private ScheduledFuture<?> schedule(Runnable action, Duration delay) {
    try {
      return scheduler.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      // Closed while the run was going: it simply stops, as its process would.
      over = true;
      return null;
    }
  }

  private synchronized void play(RunPlan.Step step, int plan) {
    if (over || plan != planNumber) {
      return;
    }
    if (step instanceof RunPlan.Reach reach) {
      if (reach.state() == InstanceState.RUNNING) {
        // Listening before RUNNING is reported: whoever learns of it may send requests at once.
        process.ifPresent(ServiceProcess::listen);
      }
      Instant now = clock.instant();
      if (reach.state() == InstanceState.RUNNING && startedAt.isEmpty()) {
        startedAt = Optional.of(now);
      }
      report(RunProgress.reached(id, reach.state(), now).startedAt(startedAt));
    } else if (step instanceof RunPlan.Print print) {
      logs.append(id, List.of(print.line()));
    } else if (step instanceof RunPlan.Succeed succeed) {
      end();
      report(
          RunProgress.succeeded(id, Optional.of(succeed.result()), clock.instant())
              .startedAt(startedAt));
      return;
    } else if (step instanceof RunPlan.Fail fail) {
      end();
      report(
          RunProgress.failed(id, fail.reason(), fail.exitCode(), clock.instant())
              .startedAt(startedAt));
      return;
    } else {
      throw new IllegalStateException("unknown step " + step);
    }
    scheduleNextStep();
  }

  private synchronized void timeOut(Duration timeout) {
    if (over) {
      return;
    }
    end();
    report(
        RunProgress.failed(
                id, new FailureReason.DeadlineExceeded(timeout), Optional.empty(), clock.instant())
            .startedAt(startedAt));
  }

  private void report(RunProgress progress) {
    try {
      reportTo.record(progress);
    } catch (InstanceNotFoundException e) {
      // Its record was removed while it ran: nobody wants to hear of it any more.
      LOG.log(Level.DEBUG, "no record of {0} any more; not reported: {1}", id, progress.observed());
    } catch (RuntimeException e) {
      // The listener's failure must not stall this run or the scheduler's other runs.
      LOG.log(Level.WARNING, "the listener failed to record " + progress, e);
    }
  }

  // Before the end is reported, as the Kubernetes runtime does: the log is closed first, so the
  // tail kept with the run's end is its whole end. A run terminated on request ends after.
  private void end() {
    stopSteps();
    logs.complete(id);
  }

  synchronized void stop() {
    if (!over) {
      // Nothing more will be written: readers following the log need not wait for more.
      end();
    }
  }

  private void stopSteps() {
    over = true;
    remaining = null;
    if (nextStep != null) {
      nextStep.cancel(false);
    }
    if (deadline != null) {
      deadline.cancel(false);
    }
  }
}
