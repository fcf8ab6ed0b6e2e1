package dev.toolrun.ports.out;

import java.util.Optional;

/**
 * Whether this toolrun is the one that may write now. Of several replicas over the same records
 * only one writes (launches, follows runs, cleans up, removes old records); the others stand by.
 * The core asks before every write a caller asks for, as it asks the runtime about an outage, and
 * refuses at once while this answers a reason. A healthy standby is still ready (it says it stands
 * by): callers are sent to the writer by its role, a label on its pod, not by readiness, so that a
 * rollout and a disruption budget can count both replicas (docs/reliability.md, "Leadership").
 */
@FunctionalInterface
public interface Leadership {
  /** A toolrun that is always the writer: the only one (the default). */
  Leadership SOLE = Optional::empty;

  /**
   * Why this toolrun may not write now, for people (e.g. {@code standby: not the leader}, {@code
   * toolrun is shutting down}); empty while it may. Answers at once, without I/O.
   */
  Optional<String> notWriting();

  /** The part an elected replica plays, as readiness reports it. */
  enum Role {
    /** It writes. */
    LEADER,
    /** It is healthy and refuses writes, ready to take over: not a reason to be unready. */
    STANDBY
  }

  /**
   * The part this replica plays now; empty for the sole toolrun, and for a replica that is shutting
   * down (which is not ready). Answers at once, without I/O.
   */
  default Optional<Role> role() {
    return Optional.empty();
  }
}
