package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceState;
import java.time.Instant;
import java.util.Optional;

/**
 * Where one run stands, as the {@link RunReconciler} knows it between two events: one immutable
 * value per run, replaced as the run goes on.
 *
 * <pre>
 *   AWAITING ──its Job is seen──▶ Going ──its outcome is seen──▶ ENDED
 *                                   │                              ▲
 *                                   └──▶ CatchingUp (the pods that decided it, ≤ 3 s)
 *
 *   any state ──toolrun removes the workload──▶ TERMINATED
 *   any state ──no record has the instance────▶ ORPHANED
 * </pre>
 *
 * ENDED, TERMINATED and ORPHANED are over: later events about the run change nothing, and the run
 * is forgotten once its Job has left the cache.
 */
sealed interface RunState {
  /** Launched or heard of, but its Job is not in the cache yet. */
  RunState AWAITING = new Awaiting();

  /** Its outcome is decided: it is being reported, then cleaned up. */
  RunState ENDED = new Over(Why.ENDED);

  /** toolrun removed its workload (cancelled, stopped, or deleted). */
  RunState TERMINATED = new Over(Why.TERMINATED);

  /** A Job with toolrun's labels whose instance has no record: left alone. */
  RunState ORPHANED = new Over(Why.ORPHANED);

  /** The last state whose report was stored, if any. */
  default Optional<InstanceState> reported() {
    return Optional.empty();
  }

  /** Whether the run's Job has been seen in the cache. */
  default boolean sawJob() {
    return false;
  }

  /** Whether nothing more happens to the run. */
  default boolean isOver() {
    return false;
  }

  /** See {@link #AWAITING}. */
  record Awaiting() implements RunState {}

  /** Its Job is there and the run goes on. */
  record Going(Optional<InstanceState> reported) implements RunState {
    public Going {
      requireNonNull(reported, "reported is null");
    }

    @Override
    public boolean sawJob() {
      return true;
    }
  }

  /**
   * Its Job says it has ended, but the pod cache has not yet shown the pods that decided it (they
   * carry the result and the logs): the outcome waits for them, from {@code since}, a little.
   */
  record CatchingUp(Optional<InstanceState> reported, Instant since) implements RunState {
    public CatchingUp {
      requireNonNull(reported, "reported is null");
      requireNonNull(since, "since is null");
    }

    @Override
    public boolean sawJob() {
      return true;
    }
  }

  /** Nothing more happens to the run, for the reason {@code why}. */
  record Over(Why why) implements RunState {
    public Over {
      requireNonNull(why, "why is null");
    }

    @Override
    public boolean isOver() {
      return true;
    }
  }

  /** Why a run is over. */
  enum Why {
    /** See {@link RunState#ENDED}. */
    ENDED,
    /** See {@link RunState#TERMINATED}. */
    TERMINATED,
    /** See {@link RunState#ORPHANED}. */
    ORPHANED
  }
}
