package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.LogTail;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogStore;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.UnaryOperator;

/**
 * The instance records as the application services see them: whenever an instance ends, whoever
 * ends it, the end of its log is kept with its record, in the same write, so the log outlives the
 * workload, the log store and a restart of toolrun; the tail says whether the log had ended then.
 *
 * <p>A runtime that drains and closes a run's log before it reports the run's end (Kubernetes does)
 * costs nothing more. A log that ends after its instance (a run cancelled while its workload still
 * writes, a run toolrun itself ended) is kept again once the log store completes it: one more write
 * for such an instance, none for the others.
 */
final class LogTailKeeping extends ForwardingInstanceRepository {
  private static final Logger LOG = System.getLogger(LogTailKeeping.class.getName());

  private final LogStore logs;
  private final Executor executor;

  /**
   * Keeps tails of {@code logs}, and keeps them again, on {@code executor}, when {@code logs}
   * completes a log after its instance ended.
   */
  LogTailKeeping(InstanceRepository records, LiveLogs logs, Executor executor) {
    super(records);
    this.logs = requireNonNull(logs, "logs is null");
    this.executor = requireNonNull(executor, "executor is null");
    // Off the log writer's thread: keeping a tail is a record write.
    logs.whenCompleted(this::keepFinalTailSoon);
  }

  @Override
  public Instance update(InstanceId id, UnaryOperator<Instance> change) {
    return super.update(
        id,
        current -> {
          Instance next = change.apply(current);
          if (current.isTerminal() || !next.isTerminal() || next.logTail().isPresent()) {
            // Not an end, or an end whose change knew its log's tail (a launch the runtime
            // refused: nothing was ever written).
            return next;
          }
          // A run that ends before it was admitted never had a workload: its log is empty and will
          // stay so, which no log store will ever say, since nothing writes or completes it.
          return next.withLogTail(
              current.state() == InstanceState.PENDING ? LogTail.NONE_WRITTEN : tail(id));
        });
  }

  private void keepFinalTailSoon(InstanceId id) {
    try {
      executor.execute(() -> keepFinalTail(id));
    } catch (RejectedExecutionException stopping) {
      LOG.log(Level.DEBUG, "toolrun is stopping: the final log tail of {0} is not kept", id);
    }
  }

  /** Takes the tail of {@code id} again if it ended before its log did. */
  private void keepFinalTail(InstanceId id) {
    try {
      super.update(
          id,
          current ->
              current.isTerminal() && current.logTail().map(tail -> !tail.ended()).orElse(false)
                  ? current.withLogTail(tail(id))
                  : current);
    } catch (InstanceNotFoundException gone) {
      // Removed already (retention), or a log of no instance: nothing to keep.
    } catch (RuntimeException e) {
      // The record keeps the tail it has, which says the log was still open.
      LOG.log(Level.WARNING, "could not keep the final log tail of {0}: {1}", id, e.getMessage());
    }
  }

  private LogTail tail(InstanceId id) {
    LogPage page = logs.tail(id, LogTail.MAX_LINES);
    return new LogTail(
        page.lines().stream().map(LogPage.LogLine::text).toList(),
        page.nextLine(),
        page.droppedLines(),
        page.complete(),
        page.missing());
  }
}
