package dev.toolrun.ports.out;

import java.util.Optional;

/**
 * Whether this toolrun is the one that may write now. Of several replicas over the same records
 * only one writes (launches, follows runs, cleans up, removes old records); the others stand by.
 * The core asks before every write a caller asks for, as it asks the runtime about an outage, and
 * refuses at once while this answers a reason; readiness reports the reason too, so that a load
 * balancer sends callers to the writer.
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
}
