package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.ports.out.InstanceFilter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Tells a watcher when instances are created or change state, so that nothing needs to poll. A
 * watch begins with a snapshot of the instances that match, so a watcher never misses a change
 * between what it listed and what it is told.
 */
public interface WatchInstancesUseCase {

  /** A watch of the instances that match; it reads nothing until asked. */
  InstanceWatch watch(WatchInstancesQuery query);

  /** Which instances: those that match {@code filter} before or after a change. */
  record WatchInstancesQuery(InstanceFilter filter) {
    public WatchInstancesQuery {
      requireNonNull(filter, "filter is null");
    }
  }

  /**
   * One watcher's stream of events: first a {@link WatchEvent.Kind#SNAPSHOT} event for every
   * instance that matches (newest first), then one {@link WatchEvent.Kind#SYNCED}, then a {@link
   * WatchEvent.Kind#CHANGED} event whenever an instance that matches (before or after) is created
   * or changes state. Changes are recorded from the moment the watch is made, so none falls between
   * the snapshot and the changes; an instance may appear in both, and a change event always carries
   * the instance as it is when the event is read, so the events of one instance never go back in
   * time. A watcher that falls behind gets one event for an instance that changed several times
   * meanwhile (its history lists every change): what a watch holds is bounded by the number of
   * instances. The watcher pulls; one {@link #next} at a time.
   */
  interface InstanceWatch extends AutoCloseable {
    /** The most events {@link #next} delivers at once. */
    int MAX_EVENTS = 500;

    /**
     * The next events, at most {@code maxEvents} (1 to {@link #MAX_EVENTS}): completes once there
     * is at least one; completes on a thread of the core's, never on the caller's.
     *
     * @throws IllegalStateException when the previous stage has not completed, or after {@link
     *     #close()}
     */
    CompletionStage<List<WatchEvent>> next(int maxEvents);

    /** Stops watching; a stage still pending never completes. Idempotent. */
    @Override
    void close();
  }

  /**
   * One event of a watch.
   *
   * @param instance the instance, as listing it would show it; empty for {@link Kind#SYNCED}
   * @param snapshotSize for {@link Kind#SYNCED}, how many snapshot events came before it; else 0
   */
  record WatchEvent(Kind kind, Optional<InstanceView> instance, int snapshotSize) {
    public WatchEvent {
      requireNonNull(kind, "kind is null");
      requireNonNull(instance, "instance is null");
      if (instance.isPresent() == (kind == Kind.SYNCED)) {
        throw new IllegalArgumentException(
            "a " + kind + " event must have an instance iff not SYNCED");
      }
    }

    /** What an event says. */
    public enum Kind {
      /** An instance as it was when the watch began. */
      SNAPSHOT,
      /** The snapshot is over: every event after this one is a change. */
      SYNCED,
      /** An instance was created, or changed state. */
      CHANGED
    }
  }
}
