package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds the start of admitted launches while other launches are being accepted, for a bounded time.
 * A caller waits for its launch's answer, which needs one write (the record); a start makes several
 * (the state, the workload's objects) and its workload sets the cluster's controllers and node to
 * work, all on the same API server. Without this, a burst of launches is answered only as fast as
 * the starts of the first ones leave room: 100 at once on the single-node cluster took 5-8 s to
 * answer against 1.4 s for {@code kubectl apply} of 100 Jobs, which were the same work without the
 * records. A launch made while no other is being accepted (an agent's call after call) starts at
 * once; under a steady stream of launches no start waits longer than the hold.
 */
final class AcceptsFirst {
  /** How long a start may wait for acceptances: about what accepting 100 launches at once takes. */
  static final Duration MAX_HOLD = Duration.ofSeconds(2);

  private final AtomicInteger accepting = new AtomicInteger();
  private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
  private final ScheduledExecutorService executor;
  private final Duration maxHold;

  AcceptsFirst(ScheduledExecutorService executor, Duration maxHold) {
    this.executor = requireNonNull(executor, "executor is null");
    this.maxHold = requireNonNull(maxHold, "maxHold is null");
  }

  /** A launch being accepted, from its record's write until {@link #close()}. */
  interface Acceptance extends AutoCloseable {
    @Override
    void close();
  }

  /** Marks a launch as being accepted until the returned acceptance is closed. */
  Acceptance accepting() {
    accepting.incrementAndGet();
    return () -> {
      if (accepting.decrementAndGet() == 0) {
        release();
      }
    };
  }

  /**
   * Runs {@code start} on the executor: now when no launch is being accepted, else once none is, or
   * after the hold, whichever comes first.
   */
  void start(Runnable start) {
    requireNonNull(start, "start is null");
    if (accepting.get() == 0) {
      executor.execute(start);
      return;
    }
    held.add(start);
    executor.schedule(
        () -> {
          // Whoever takes it from the queue runs it: this timer, or a release, never both.
          if (held.remove(start)) {
            start.run();
          }
        },
        maxHold.toMillis(),
        TimeUnit.MILLISECONDS);
    // The last acceptance may have ended between the check and the add: its release missed it.
    if (accepting.get() == 0) {
      release();
    }
  }

  private void release() {
    for (Runnable start = held.poll(); start != null; start = held.poll()) {
      executor.execute(start);
    }
  }
}
