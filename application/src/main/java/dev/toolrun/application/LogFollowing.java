package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.ports.in.FollowInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceLogsUseCase.GetInstanceLogsQuery;
import dev.toolrun.ports.out.LogPage;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Followers of instances' logs. A follower reads the log store, as a page read does, from its own
 * place; it waits for the {@link LiveLogs} it reads to say the log changed, or for the instance to
 * change state, and reads again. It also reads again every {@link #RECHECK} by itself, so that it
 * follows a log written past {@link LiveLogs} too (later, not never).
 *
 * <p>A log ends when the store says it is complete; a run that ended whose log was not completed
 * within {@link #END_GRACE} of its end (a runtime that lost the workload's output, say) ends its
 * followers with the log marked incomplete, rather than holding them forever.
 */
final class LogFollowing implements FollowInstanceLogsUseCase {
  private static final Logger LOG = System.getLogger(LogFollowing.class.getName());

  /** How often a waiting follower reads again without being woken. */
  static final Duration RECHECK = Duration.ofMillis(500);

  /**
   * How long after its instance ended a log may take to be completed; longer than the Kubernetes
   * runtime's wait for a finished pod's output (10 s), so a log still draining is not cut.
   */
  static final Duration END_GRACE = Duration.ofSeconds(15);

  private final InstanceChanges instances;
  private final GetInstanceLogsUseCase reader;
  private final LiveLogs live;
  private final ScheduledExecutorService executor;
  private final Clock clock;

  LogFollowing(
      InstanceChanges instances,
      GetInstanceLogsUseCase reader,
      LiveLogs live,
      ScheduledExecutorService executor,
      Clock clock) {
    this.instances = requireNonNull(instances, "instances is null");
    this.reader = requireNonNull(reader, "reader is null");
    this.live = requireNonNull(live, "live is null");
    this.executor = requireNonNull(executor, "executor is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public LogFollow follow(FollowInstanceLogsQuery query) {
    if (instances.find(query.id()).isEmpty()) {
      throw new InstanceNotFoundException(query.id());
    }
    return new Follower(query.id(), query.fromLine());
  }

  private final class Follower implements LogFollow {
    private final InstanceId id;
    private final Runnable waker = this::woken;
    private final InstanceChanges.Listener stateListener;
    // Guarded by this.
    private long cursor;
    private long skipped;
    private int maxLines;
    private CompletableFuture<LogChunk> pending;
    private ScheduledFuture<?> recheck;
    private Instant endedSince;
    private boolean closed;

    Follower(InstanceId id, long fromLine) {
      this.id = id;
      this.cursor = fromLine;
      this.stateListener =
          (before, after) -> {
            if (after.id().equals(id)) {
              woken();
            }
          };
      instances.listen(stateListener);
    }

    @Override
    public synchronized CompletionStage<LogChunk> next(int maxLines) {
      if (closed) {
        throw new IllegalStateException("the follower of " + id + " is closed");
      }
      if (pending != null) {
        throw new IllegalStateException("the follower of " + id + " is already waiting");
      }
      if (maxLines < 1 || maxLines > MAX_LINES) {
        throw new IllegalArgumentException(
            "maxLines must be from 1 to " + MAX_LINES + ", was " + maxLines);
      }
      this.maxLines = maxLines;
      pending = new CompletableFuture<>();
      CompletableFuture<LogChunk> stage = pending;
      woken();
      return stage;
    }

    // On the writer's thread: only hand the read off.
    private void woken() {
      executor.execute(this::attempt);
    }

    private synchronized void attempt() {
      if (closed || pending == null) {
        return;
      }
      if (recheck != null) {
        recheck.cancel(false);
        recheck = null;
      }
      try {
        // Registered before the read, so that a line appended after it wakes this follower.
        live.awaitChange(id, waker);
        LogPage page =
            reader.logs(
                new GetInstanceLogsQuery(
                    id, cursor, Math.min(maxLines, GetInstanceLogsQuery.MAX_LIMIT)));
        long first = page.lines().isEmpty() ? page.nextLine() : page.lines().get(0).number();
        if (first > cursor) {
          skipped += first - cursor;
        }
        cursor = Math.max(cursor, page.nextLine());
        if (!page.lines().isEmpty()) {
          deliver(page.lines(), Optional.empty());
          return;
        }
        Optional<Instance> instance = instances.find(id);
        if (instance.isEmpty()) {
          // Its record was removed (retention): nothing more will come.
          deliver(
              List.of(), Optional.of(new LogEnd(InstanceState.FAILED, page.complete(), cursor)));
          return;
        }
        if (page.complete() && instance.get().isTerminal()) {
          deliver(List.of(), Optional.of(new LogEnd(instance.get().state(), true, cursor)));
          return;
        }
        if (instance.get().isTerminal()) {
          Instant now = clock.instant();
          if (endedSince == null) {
            endedSince = now;
          } else if (Duration.between(endedSince, now).compareTo(END_GRACE) >= 0) {
            deliver(
                List.of(),
                Optional.of(new LogEnd(instance.get().state(), page.complete(), cursor)));
            return;
          }
        }
        recheck = executor.schedule(this::attempt, RECHECK.toMillis(), TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "reading the log of " + id + " for a follower failed", e);
        CompletableFuture<LogChunk> failed = pending;
        pending = null;
        close();
        failed.completeExceptionally(e);
      }
    }

    private void deliver(List<LogPage.LogLine> lines, Optional<LogEnd> end) {
      LogChunk chunk = new LogChunk(lines, skipped, cursor, end);
      skipped = 0;
      CompletableFuture<LogChunk> done = pending;
      // Delivered: a wake-up that comes before the reader takes the chunk must not read on into
      // the same stage, whose second chunk would be lost.
      pending = null;
      if (end.isPresent()) {
        close();
      }
      // Completed off the lock: whatever the reader runs next must not hold this follower.
      executor.execute(() -> done.complete(chunk));
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        if (recheck != null) {
          recheck.cancel(false);
        }
      }
      instances.forget(stateListener);
      live.forget(id, waker);
    }
  }
}
