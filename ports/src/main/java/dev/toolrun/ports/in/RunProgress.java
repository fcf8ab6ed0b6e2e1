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
 */
public record RunProgress(
    InstanceId id,
    InstanceState observed,
    Instant at,
    Optional<FailureReason> failure,
    Optional<Integer> exitCode,
    Optional<ToolResult> result) {

  public RunProgress {
    requireNonNull(id, "id is null");
    requireNonNull(observed, "observed is null");
    requireNonNull(at, "at is null");
    requireNonNull(failure, "failure is null");
    requireNonNull(exitCode, "exitCode is null");
    requireNonNull(result, "result is null");
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
    return new RunProgress(id, state, at, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The workload finished with exit code 0 and, possibly, a result. */
  public static RunProgress succeeded(InstanceId id, Optional<ToolResult> result, Instant at) {
    return new RunProgress(
        id, InstanceState.SUCCEEDED, at, Optional.empty(), Optional.of(0), result);
  }

  /** The workload ended for {@code reason}. */
  public static RunProgress failed(
      InstanceId id, FailureReason reason, Optional<Integer> exitCode, Instant at) {
    return new RunProgress(
        id, reason.terminalState(), at, Optional.of(reason), exitCode, Optional.empty());
  }
}
