package dev.toolrun.ports.out;

import dev.toolrun.domain.instance.FailureKind;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.domain.tool.ToolName;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What the core tells whoever measures it: runs launched and ended, how long each phase of a run
 * took, the log lines a run's log dropped, service requests, and the admission queue it keeps. The
 * core calls it and never reads it back, so a measurement cannot change what the core does; {@link
 * #NONE} measures nothing.
 *
 * <p>Every argument is a bounded value (a tool's name, a state, a kind, a phase), never an instance
 * id: an implementation may use them all as labels. Implementations are thread-safe and quick: the
 * core calls them inside its own work, on any of its threads.
 */
public interface RunMetrics {
  /** Measures nothing. */
  RunMetrics NONE = new RunMetrics() {};

  /** The phases of a run, each measured once per run when it ends. */
  enum Phase {
    /** From the launch (PENDING) until it was admitted and began to be created (CREATING). */
    WAITING_FOR_CAPACITY,
    /** From CREATING until the workload ran (RUNNING). */
    CREATED_TO_RUNNING,
    /** From RUNNING until the run ended. */
    RUNNING_TO_ENDED,
    /** From the end the runtime observed until the record of the end was stored. */
    END_TO_RECORD_STORED
  }

  /** How a request to a service instance went. */
  enum RequestOutcome {
    /** The service answered (whatever its status). */
    ANSWERED,
    /** Refused at once: the instance had its most requests in flight and waiting (a 429). */
    TOO_MANY_REQUESTS,
    /** The service did not answer in time. */
    TIMED_OUT,
    /** The service could not be reached, or broke the exchange. */
    UPSTREAM_FAILED,
    /** The instance does not take requests (not serving, not found, a task). */
    NOT_SERVING
  }

  /** The admission queue as it is now, read when a measurement is taken. */
  interface AdmissionView {
    /** Instances of {@code mode} holding capacity. */
    int active(ToolMode mode);

    /** Instances of {@code mode} waiting in the queue for capacity. */
    int waiting(ToolMode mode);
  }

  /** The runtime's warm pools as they are now, read when a measurement is taken. */
  interface PoolsView {
    /** Each pool now; a pool that was removed is no longer listed. */
    List<PoolStatus> pools();
  }

  /** An instance of {@code tool} was launched (its record stored). */
  default void launched(ToolName tool, ToolMode mode) {}

  /**
   * An instance of {@code tool} ended in {@code state} (terminal), with {@code failure} when it did
   * not succeed.
   */
  default void ended(
      ToolName tool, ToolMode mode, InstanceState state, Optional<FailureKind> failure) {}

  /**
   * The log of a run of {@code tool} that ended had dropped {@code lines} of its oldest lines, to
   * stay within the log store's bound; told once, when the run ends, and only when it dropped any.
   */
  default void logLinesDropped(ToolName tool, ToolMode mode, long lines) {}

  /**
   * The runtime started an instance of {@code tool}: {@code WARM} on a warm pool's pod, or {@code
   * COLD}; the share of warm starts is a pool's hit ratio.
   */
  default void started(ToolName tool, WorkloadStart start) {}

  /** One phase of one run took {@code took}. */
  default void phase(Phase phase, ToolMode mode, Duration took) {}

  /**
   * A request to an instance of {@code tool} ended with {@code outcome} after {@code took}; {@code
   * status} is the service's HTTP status when it answered.
   */
  default void serviceRequest(
      ToolName tool, RequestOutcome outcome, Optional<Integer> status, Duration took) {}

  /** The core's admission queue, to be read whenever a measurement is taken; called once. */
  default void admission(AdmissionView admission) {}

  /**
   * The runtime's warm pools, to be read whenever a measurement is taken: called when the core
   * starts and again after each change of a pool's size, since a pool may be new (always the same
   * view).
   */
  default void pools(PoolsView pools) {}
}
