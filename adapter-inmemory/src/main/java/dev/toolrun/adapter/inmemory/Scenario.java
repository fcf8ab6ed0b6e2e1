package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.ToolResult;
import java.time.Duration;
import java.util.List;

/**
 * What a task's run does in the {@link InMemoryWorkloadRuntime}: one of a closed set of outcomes,
 * each with its own data. Tests script them with {@link InMemoryWorkloadRuntime#script}.
 */
public sealed interface Scenario {

  /** The run writes {@code logLines}, then succeeds with exit code 0 and {@code resultJson}. */
  static Scenario succeed(List<String> logLines, String resultJson) {
    return new Succeed(Duration.ZERO, logLines, new ToolResult(resultJson));
  }

  /** Like {@link #succeed}, but the run takes {@code runTime} after its last log line to finish. */
  static Scenario succeedAfter(Duration runTime, List<String> logLines, String resultJson) {
    return new Succeed(runTime, logLines, new ToolResult(resultJson));
  }

  /** The run writes {@code logLines} and exits with {@code exitCode}, which is not 0. */
  static Scenario fail(int exitCode, List<String> logLines) {
    return new Fail(exitCode, logLines);
  }

  /** The workload's image cannot be pulled: the run fails before it ever runs. */
  static Scenario failToPull() {
    return new FailToPull();
  }

  /** The run starts and never ends by itself: only its timeout or a termination stops it. */
  static Scenario neverFinish() {
    return new NeverFinish();
  }

  /**
   * The run writes {@code logLines}, waits {@code runTime}, then succeeds with exit code 0 and
   * {@code result}, which the scripting test vouches is well-formed JSON.
   */
  record Succeed(Duration runTime, List<String> logLines, ToolResult result) implements Scenario {
    public Succeed {
      requireNonNull(runTime, "runTime is null");
      logLines = List.copyOf(requireNonNull(logLines, "logLines is null"));
      requireNonNull(result, "result is null");
      if (runTime.isNegative()) {
        throw new IllegalArgumentException("runTime must not be negative, was " + runTime);
      }
    }
  }

  /** The run writes {@code logLines} and exits with {@code exitCode}. */
  record Fail(int exitCode, List<String> logLines) implements Scenario {
    public Fail {
      logLines = List.copyOf(requireNonNull(logLines, "logLines is null"));
      if (exitCode == 0) {
        throw new IllegalArgumentException("exit code 0 is a success: use Scenario.succeed");
      }
    }
  }

  /** The image cannot be pulled; the run fails without reaching RUNNING. */
  record FailToPull() implements Scenario {}

  /** The run reaches RUNNING and stays there. */
  record NeverFinish() implements Scenario {}
}
