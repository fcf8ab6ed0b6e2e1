package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ToolResult;
import java.time.Instant;
import java.util.Optional;

/**
 * What a runtime observed of one instance's workload at {@code at}.
 *
 * @param observed the state the workload is in; SUCCEEDED carries an optional result, FAILED,
 *     TIMED_OUT and CANCELLED carry a failure reason
 * @param exitCode the process's exit code, when known
 * @param startedAt when the workload's process started, when the runtime knows: an instance that
 *     had not been seen RUNNING yet (a run too fast to observe) is RUNNING from then on, so its
 *     history says when it ran
 */
public record RunProgress(
    InstanceId id,
    InstanceState observed,
    Instant at,
    Optional<FailureReason> failure,
    Optional<Integer> exitCode,
    Optional<ToolResult> result,
    Optional<Instant> startedAt) {

  public RunProgress {
    requireNonNull(id, "id is null");
    requireNonNull(observed, "observed is null");
    requireNonNull(at, "at is null");
    requireNonNull(failure, "failure is null");
    requireNonNull(exitCode, "exitCode is null");
    requireNonNull(result, "result is null");
    requireNonNull(startedAt, "startedAt is null");
    if (failure.isPresent() && failure.get().terminalState() != observed) {
      throw new IllegalArgumentException(
          "failure %s does not belong to state %s".formatted(failure.get().kind(), observed));
    }
    if (failure.isEmpty()
        && (observed == InstanceState.FAILED
            || observed == InstanceState.TIMED_OUT
            || observed == InstanceState.CANCELLED)) {
      throw new IllegalArgumentException(observed + " needs a failure reason");
    }
    if (result.isPresent() && observed != InstanceState.SUCCEEDED) {
      throw new IllegalArgumentException("only SUCCEEDED carries a result");
    }
  }

  /** The workload reached {@code state}, which carries no data. */
  public static RunProgress reached(InstanceId id, InstanceState state, Instant at) {
    return new RunProgress(
        id, state, at, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The workload finished with exit code 0 and, possibly, a result. */
  public static RunProgress succeeded(InstanceId id, Optional<ToolResult> result, Instant at) {
    return new RunProgress(
        id,
        InstanceState.SUCCEEDED,
        at,
        Optional.empty(),
        Optional.of(0),
        result,
        Optional.empty());
  }

  /** The workload ended for {@code reason}. */
  public static RunProgress failed(
      InstanceId id, FailureReason reason, Optional<Integer> exitCode, Instant at) {
    return new RunProgress(
        id,
        reason.terminalState(),
        at,
        Optional.of(reason),
        exitCode,
        Optional.empty(),
        Optional.empty());
  }

  /** This observation, saying that the workload's process started at {@code processStart}. */
  public RunProgress startedAt(Optional<Instant> processStart) {
    return new RunProgress(id, observed, at, failure, exitCode, result, processStart);
  }
}
