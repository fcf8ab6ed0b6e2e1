package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.InstanceState;
import java.time.Instant;
import java.util.Optional;

/**
 * What a Job and its pods say about an instance at one moment.
 *
 * @param terminationMessage the tool container's termination message of the pod that decided the
 *     outcome: the raw result of a successful run
 * @param startedAt when the first of its tool containers started, if one did: the run was RUNNING
 *     from then on, however quickly it ended
 */
public record JobObservation(
    InstanceState state,
    Optional<FailureReason> failure,
    Optional<Integer> exitCode,
    Optional<String> terminationMessage,
    Optional<Instant> startedAt) {

  public JobObservation {
    requireNonNull(state, "state is null");
    requireNonNull(failure, "failure is null");
    requireNonNull(exitCode, "exitCode is null");
    requireNonNull(terminationMessage, "terminationMessage is null");
    requireNonNull(startedAt, "startedAt is null");
  }

  public static JobObservation in(InstanceState state) {
    return new JobObservation(
        state, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static JobObservation failed(FailureReason reason, Optional<Integer> exitCode) {
    return new JobObservation(
        reason.terminalState(), Optional.of(reason), exitCode, Optional.empty(), Optional.empty());
  }

  /** This observation, with the time its first tool container started. */
  public JobObservation startedAt(Optional<Instant> firstStart) {
    return new JobObservation(state, failure, exitCode, terminationMessage, firstStart);
  }

  public boolean isTerminal() {
    return state.isTerminal();
  }
}
