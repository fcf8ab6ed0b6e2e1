package dev.toolrun.application;

import dev.toolrun.domain.error.TooManyRequestsException;
import dev.toolrun.domain.instance.InstanceId;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Lets at most {@code maxInFlight} requests reach one service instance at once. Others wait in
 * order, at most {@code maxWaiting} of them and each at most a given time, then fail with "too many
 * requests". Once closed it lets nobody in: waiting and later requests fail with {@link
 * ClosedException}. Nothing blocks: a slot is a future. Futures are completed outside the lock, so
 * a caller's continuation never runs while the gate is held.
 */
final class ServiceInstanceRequestGate {
  /** What a client is told to wait before trying again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final InstanceId id;
  private final int maxInFlight;
  private final int maxWaiting;
  private final Deque<CompletableFuture<Void>> waiting = new ArrayDeque<>();
  private final List<CompletableFuture<Void>> idleWatchers = new ArrayList<>();
  private int inFlight;
  private int peakInFlight;
  private boolean closed;

  ServiceInstanceRequestGate(InstanceId id, int maxInFlight, int maxWaiting) {
    this.id = id;
    this.maxInFlight = maxInFlight;
    this.maxWaiting = maxWaiting;
  }

  /**
   * A slot: completes when the request may go, or fails with {@link TooManyRequestsException} when
   * the queue is full or no slot freed within {@code maxWait}, and with {@link ClosedException}
   * once the gate is closed. Every completed slot must be given back with {@link #release()}.
   */
  CompletableFuture<Void> acquire(Duration maxWait, ScheduledExecutorService timer) {
    CompletableFuture<Void> slot = new CompletableFuture<>();
    synchronized (this) {
      if (closed) {
        slot.completeExceptionally(new ClosedException(id));
        return slot;
      }
      if (inFlight < maxInFlight && waiting.isEmpty()) {
        take();
        slot.complete(null);
        return slot;
      }
      if (waiting.size() >= maxWaiting) {
        slot.completeExceptionally(tooMany());
        return slot;
      }
      waiting.addLast(slot);
    }
    timer.schedule(
        () -> {
          boolean expired;
          synchronized (this) {
            expired = waiting.remove(slot);
          }
          if (expired) {
            slot.completeExceptionally(tooMany());
            notifyIfIdle();
          }
        },
        maxWait.toMillis(),
        TimeUnit.MILLISECONDS);
    return slot;
  }

  /** Gives a slot back; the longest-waiting request, if any, gets it. */
  void release() {
    CompletableFuture<Void> next;
    synchronized (this) {
      inFlight--;
      next = closed ? null : waiting.pollFirst();
      if (next != null) {
        take();
      }
    }
    if (next != null) {
      next.complete(null);
    } else {
      notifyIfIdle();
    }
  }

  /**
   * Lets no request in any more, fails those waiting, and completes when the last request in flight
   * has finished.
   */
  CompletableFuture<Void> close() {
    List<CompletableFuture<Void>> refused;
    CompletableFuture<Void> idle = new CompletableFuture<>();
    synchronized (this) {
      closed = true;
      refused = new ArrayList<>(waiting);
      waiting.clear();
      idleWatchers.add(idle);
    }
    // Not "too many requests": retrying later will not help, the instance is going away.
    refused.forEach(w -> w.completeExceptionally(new ClosedException(id)));
    notifyIfIdle();
    return idle;
  }

  synchronized int inFlight() {
    return inFlight;
  }

  /** The most requests ever in flight at once. */
  synchronized int peakInFlight() {
    return peakInFlight;
  }

  private void take() {
    inFlight++;
    peakInFlight = Math.max(peakInFlight, inFlight);
  }

  private void notifyIfIdle() {
    List<CompletableFuture<Void>> watchers;
    synchronized (this) {
      if (inFlight > 0 || !waiting.isEmpty() || idleWatchers.isEmpty()) {
        return;
      }
      watchers = new ArrayList<>(idleWatchers);
      idleWatchers.clear();
    }
    watchers.forEach(w -> w.complete(null));
  }

  private TooManyRequestsException tooMany() {
    return new TooManyRequestsException(id, maxInFlight, RETRY_AFTER);
  }

  /** The gate was closed: its instance takes no more requests, whatever its state says now. */
  static final class ClosedException extends RuntimeException {
    ClosedException(InstanceId id) {
      super("instance %s takes no more requests".formatted(id), null, false, false);
    }
  }
}
