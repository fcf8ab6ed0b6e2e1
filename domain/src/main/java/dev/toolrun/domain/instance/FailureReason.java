package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/** Why an instance ended without success: one of a closed set of cases, each with its own data. */
public sealed interface FailureReason {

  /** Which case this is; adapters switch on it exhaustively. */
  FailureKind kind();

  /** A sentence a user can act on. */
  String message();

  /** The terminal state this reason puts an instance in. */
  default InstanceState terminalState() {
    return switch (kind()) {
      case DEADLINE_EXCEEDED -> InstanceState.TIMED_OUT;
      case CANCELLED -> InstanceState.CANCELLED;
      case IMAGE_PULL_FAILED,
          UNSCHEDULABLE,
          OUT_OF_MEMORY,
          EXITED_NON_ZERO,
          CRASH_LOOP,
          HEALTH_CHECK_FAILED,
          RUNTIME_ERROR ->
          InstanceState.FAILED;
    };
  }

  /** The image {@code image} could not be pulled; {@code detail} is the runtime's explanation. */
  record ImagePullFailed(String image, String detail) implements FailureReason {
    public ImagePullFailed {
      requireNonNull(image, "image is null");
      requireNonNull(detail, "detail is null");
    }

    @Override
    public FailureKind kind() {
      return FailureKind.IMAGE_PULL_FAILED;
    }

    @Override
    public String message() {
      return "image %s could not be pulled: %s".formatted(image, detail);
    }
  }

  /** The scheduler found no node for the workload. */
  record Unschedulable(String detail) implements FailureReason {
    public Unschedulable {
      requireNonNull(detail, "detail is null");
    }

    @Override
    public FailureKind kind() {
      return FailureKind.UNSCHEDULABLE;
    }

    @Override
    public String message() {
      return "no node can run the workload: " + detail;
    }
  }

  /** The container exceeded its memory limit and was killed. */
  record OutOfMemory(String detail) implements FailureReason {
    public OutOfMemory {
      requireNonNull(detail, "detail is null");
    }

    @Override
    public FailureKind kind() {
      return FailureKind.OUT_OF_MEMORY;
    }

    @Override
    public String message() {
      return "the container ran out of memory: " + detail;
    }
  }

  /** The task ran longer than {@code timeout}. */
  record DeadlineExceeded(Duration timeout) implements FailureReason {
    public DeadlineExceeded {
      requireNonNull(timeout, "timeout is null");
    }

    @Override
    public FailureKind kind() {
      return FailureKind.DEADLINE_EXCEEDED;
    }

    @Override
    public String message() {
      return "the task ran longer than its timeout of %d s".formatted(timeout.toSeconds());
    }
  }

  /**
   * The process exited with {@code exitCode}, which is not 0.
   *
   * @param exitCode the exit code of the first process that failed
   * @param failedProcesses how many of the run's processes failed (its pods, for a parallel run)
   * @param processes how many processes the run started, retries included
   */
  record ExitedNonZero(int exitCode, int failedProcesses, int processes) implements FailureReason {
    public ExitedNonZero {
      if (exitCode == 0) {
        throw new IllegalArgumentException("exit code 0 is not a failure");
      }
      if (failedProcesses < 1 || processes < failedProcesses) {
        throw new IllegalArgumentException(
            "%d of %d processes cannot have failed".formatted(failedProcesses, processes));
      }
    }

    /** A run of one process, which exited with {@code exitCode}. */
    public ExitedNonZero(int exitCode) {
      this(exitCode, 1, 1);
    }

    @Override
    public FailureKind kind() {
      return FailureKind.EXITED_NON_ZERO;
    }

    @Override
    public String message() {
      return processes == 1
          ? "the process exited with code " + exitCode
          : "%d of its %d processes failed; the first exited with code %d"
              .formatted(failedProcesses, processes, exitCode);
    }
  }

  /** The instance was cancelled on request. */
  record Cancelled() implements FailureReason {
    @Override
    public FailureKind kind() {
      return FailureKind.CANCELLED;
    }

    @Override
    public String message() {
      return "cancelled on request";
    }
  }

  /** A service's process kept exiting; {@code lastLogLines} are the last lines it wrote. */
  record CrashLoop(int lastExitCode, List<String> lastLogLines) implements FailureReason {
    public CrashLoop {
      lastLogLines = List.copyOf(requireNonNull(lastLogLines, "lastLogLines is null"));
    }

    @Override
    public FailureKind kind() {
      return FailureKind.CRASH_LOOP;
    }

    @Override
    public String message() {
      return "the service keeps exiting (last exit code %d)".formatted(lastExitCode);
    }
  }

  /**
   * A service failed {@code failures} health checks in a row; {@code lastError} is the last one's.
   */
  record HealthCheckFailed(int failures, String lastError) implements FailureReason {
    public HealthCheckFailed {
      requireNonNull(lastError, "lastError is null");
    }

    @Override
    public FailureKind kind() {
      return FailureKind.HEALTH_CHECK_FAILED;
    }

    @Override
    public String message() {
      return "the service failed %d health checks in a row; last error: %s"
          .formatted(failures, lastError);
    }
  }

  /** The runtime itself failed; {@code detail} says how. */
  record RuntimeError(String detail) implements FailureReason {
    public RuntimeError {
      requireNonNull(detail, "detail is null");
    }

    @Override
    public FailureKind kind() {
      return FailureKind.RUNTIME_ERROR;
    }

    @Override
    public String message() {
      return detail;
    }
  }
}
