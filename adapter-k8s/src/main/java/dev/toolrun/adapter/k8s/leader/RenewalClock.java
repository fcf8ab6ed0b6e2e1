package dev.toolrun.adapter.k8s.leader;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * When this replica last renewed its lease, and whether its renew deadline has passed since. Times
 * are a monotonic clock's ({@link System#nanoTime}), so that a step of the wall clock neither
 * extends nor cuts a leadership. A renewal counts from the moment its request was sent, not from
 * its answer: the Lease says it was renewed at the time written in it, which was taken before the
 * request left, so the others count the lease's duration from then.
 */
public final class RenewalClock {
  private static final long NONE = Long.MIN_VALUE;

  private final Duration renewDeadline;
  private final LongSupplier nanoTime;
  private volatile long lastRenewal = NONE;

  public RenewalClock(Duration renewDeadline, LongSupplier nanoTime) {
    this.renewDeadline = requireNonNull(renewDeadline, "renewDeadline is null");
    this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
  }

  /** The monotonic time now, to pass to {@link #renewed} once a renewal sent now has succeeded. */
  public long now() {
    return nanoTime.getAsLong();
  }

  /** A renewal (or the acquisition) whose request was sent at {@code sentAt} succeeded. */
  public void renewed(long sentAt) {
    long last = lastRenewal;
    if (last == NONE || sentAt - last > 0) {
      lastRenewal = sentAt;
    }
  }

  /**
   * Whether a leader must stop now: it has renewed before, and not within the renew deadline. A
   * replica that never renewed is not leading, so there is nothing to stop.
   */
  public boolean deadlinePassed() {
    long last = lastRenewal;
    return last != NONE && nanoTime.getAsLong() - last > renewDeadline.toNanos();
  }
}
