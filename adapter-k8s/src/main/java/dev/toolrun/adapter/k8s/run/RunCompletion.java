package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.job.WorkloadWriter;
import dev.toolrun.adapter.k8s.run.ProgressReporter.Reported;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.Backoff;
import dev.toolrun.ports.out.LogStore;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends runs whose outcome is known, in this order: let the output drain (bounded) and close the
 * log, so the log tail kept with the record is whole; report the outcome until it is stored (it is
 * retried while the records cannot be written); only then clean up, so no Job disappears before its
 * outcome is kept. A success a warm pool pod's runner told before the kubelet is reported first,
 * then drained and cleaned up. Everything happens on the event thread.
 */
public final class RunCompletion {
  private static final Logger LOG = LoggerFactory.getLogger(RunCompletion.class);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

  /** Reporting an outcome and cleaning up are retried while the API server is away. */
  private static final Backoff RETRY =
      Backoff.doubling(Duration.ofSeconds(1), Duration.ofSeconds(30));

  private static final int CLEANUP_ATTEMPTS = 10;

  private final LogFollower followers;
  private final WorkloadWriter writer;
  private final LogStore logs;
  private final ProgressReporter reporter;
  private final ScheduledExecutorService events;

  public RunCompletion(
      LogFollower followers,
      WorkloadWriter writer,
      LogStore logs,
      ProgressReporter reporter,
      ScheduledExecutorService events) {
    this.followers = requireNonNull(followers, "followers is null");
    this.writer = requireNonNull(writer, "writer is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.reporter = requireNonNull(reporter, "reporter is null");
    this.events = requireNonNull(events, "events is null");
  }

  /**
   * How a run ends: its outcome, what its cleanup policy says (none when its Job is gone already),
   * and whether a kept Job that still runs must be stopped: a run toolrun ended while its Job still
   * ran (an image that cannot be pulled) is stopped by shortening its deadline, so its pods go and
   * its objects stay; and whether the outcome is known before the output has ended (a warm pool
   * pod's runner told it), so it is reported before the log drains.
   */
  record Ending(
      InstanceId id,
      RunProgress outcome,
      Optional<CleanupPolicy> cleanup,
      boolean stopKeptJob,
      boolean beforeOutputEnds) {
    Ending {
      requireNonNull(id, "id is null");
      requireNonNull(outcome, "outcome is null");
      requireNonNull(cleanup, "cleanup is null");
    }

    Ending(
        InstanceId id, RunProgress outcome, Optional<CleanupPolicy> cleanup, boolean stopKeptJob) {
      this(id, outcome, cleanup, stopKeptJob, false);
    }

    boolean succeeded() {
      return outcome.observed() == InstanceState.SUCCEEDED;
    }
  }

  /**
   * Ends a run as {@code ending} says.
   *
   * @return completes on the event thread once the outcome is stored ({@code STORED}, and its
   *     cleanup has begun) or refused because no record has the instance ({@code ORPHAN})
   */
  CompletionStage<Reported> end(Ending ending) {
    InstanceId id = ending.id();
    CompletableFuture<Reported> delivered = new CompletableFuture<>();
    Runnable cleanUp = () -> ending.cleanup().ifPresent(policy -> cleanUp(ending, policy, 0));
    if (ending.beforeOutputEnds()) {
      // A warm run's runner told its end before the kubelet: the outcome is kept at once, and the
      // log, once it has drained, is kept again with the record (LogTailKeeping, one write). The
      // cleanup waits for the drain: deleting the pod first would cut its log stream.
      deliver(ending, 0, delivered, () -> drain(id, cleanUp));
    } else {
      drain(id, () -> deliver(ending, 0, delivered, cleanUp));
    }
    return delivered;
  }

  /** Lets the output of {@code id} drain (bounded), closes its log, then does {@code then}. */
  private void drain(InstanceId id, Runnable then) {
    followers
        .allDone(id)
        .orTimeout(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync(
            (done, timeout) -> {
              if (timeout != null) {
                logs.reportGap(
                    id,
                    "the output did not finish draining within "
                        + DRAIN_TIMEOUT.toSeconds()
                        + " s of the run's end; its last lines may be missing");
              }
              logs.complete(id);
              followers.forget(id);
              then.run();
            },
            events);
  }

  private void deliver(
      Ending ending, int attempt, CompletableFuture<Reported> delivered, Runnable stored) {
    Reported reported = reporter.report(ending.outcome());
    switch (reported) {
      case STORED -> stored.run();
      case RETRY ->
          events.schedule(
              () -> deliver(ending, attempt + 1, delivered, stored),
              RETRY.delay(attempt).toMillis(),
              TimeUnit.MILLISECONDS);
      case ORPHAN -> {
        // Told below: the reconciler leaves the workload alone.
      }
    }
    if (reported != Reported.RETRY) {
      delivered.complete(reported);
    }
  }

  private void cleanUp(Ending ending, CleanupPolicy policy, int attempt) {
    InstanceId id = ending.id();
    try {
      if (policy.deletes(ending.succeeded())) {
        writer.delete(id);
      } else if (ending.stopKeptJob()) {
        writer.stopKept(id);
      }
    } catch (RuntimeUnavailableException e) {
      if (attempt < CLEANUP_ATTEMPTS) {
        events.schedule(
            () -> cleanUp(ending, policy, attempt + 1),
            RETRY.delay(attempt).toMillis(),
            TimeUnit.MILLISECONDS);
      } else {
        LOG.error("gave up cleaning up instance {}: {}", id, e.getMessage());
      }
    } catch (RuntimeException e) {
      LOG.error("could not clean up instance {}", id, e);
    }
  }
}
