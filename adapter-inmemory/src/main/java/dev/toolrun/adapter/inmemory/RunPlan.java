package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Script;
import dev.toolrun.domain.tool.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The steps one run plays, in order, each {@link Step#delay()} after the one before, and the
 * deadline after which a run still going is stopped as TIMED_OUT. Plain data, so equal inputs make
 * equal plans.
 */
record RunPlan(List<Step> steps, Optional<Duration> deadline) {

  RunPlan {
    steps = List.copyOf(requireNonNull(steps, "steps is null"));
    requireNonNull(deadline, "deadline is null");
  }

  /** The plan of a task that follows {@code scenario} and times out after {@code timeout}. */
  static RunPlan forTask(
      Scenario scenario, Workload workload, Duration stepDelay, Duration timeout) {
    requireNonNull(scenario, "scenario is null");
    List<Step> steps = new ArrayList<>();
    if (scenario instanceof Scenario.FailToPull) {
      steps.add(
          new Fail(
              stepDelay,
              new FailureReason.ImagePullFailed(
                  imageOf(workload), "the in-memory runtime was scripted to fail this pull"),
              Optional.empty()));
    } else if (scenario instanceof Scenario.Succeed succeed) {
      running(steps, succeed.logLines(), stepDelay);
      steps.add(new Succeed(stepDelay.plus(succeed.runTime()), succeed.result()));
    } else if (scenario instanceof Scenario.Fail fail) {
      running(steps, fail.logLines(), stepDelay);
      steps.add(
          new Fail(
              stepDelay,
              new FailureReason.ExitedNonZero(fail.exitCode()),
              Optional.of(fail.exitCode())));
    } else if (scenario instanceof Scenario.RunOutOfMemory outOfMemory) {
      running(steps, outOfMemory.logLines(), stepDelay);
      steps.add(
          new Fail(
              stepDelay,
              new FailureReason.OutOfMemory(
                  "the in-memory runtime was scripted to run out of memory"),
              Optional.of(Scenario.OUT_OF_MEMORY_EXIT_CODE)));
    } else if (scenario instanceof Scenario.TimeOut timeOut) {
      running(steps, timeOut.logLines(), stepDelay);
      steps.add(new Fail(stepDelay, new FailureReason.DeadlineExceeded(timeout), Optional.empty()));
    } else if (scenario instanceof Scenario.NeverFinish) {
      running(steps, List.of(), stepDelay);
    } else {
      throw new IllegalStateException("no plan for scenario " + scenario);
    }
    return new RunPlan(steps, Optional.of(timeout));
  }

  /**
   * The plan of a run whose workload cannot even be created (a Secret it takes its secret inputs
   * from is missing): it fails for {@code reason} one step after its launch, without running.
   */
  static RunPlan failingToStart(FailureReason reason, Duration stepDelay) {
    return new RunPlan(List.of(new Fail(stepDelay, reason, Optional.empty())), Optional.empty());
  }

  /** The plan of a service: it reaches RUNNING, writes {@code logLines} and runs until stopped. */
  static RunPlan forService(List<String> logLines, Duration stepDelay) {
    List<Step> steps = new ArrayList<>();
    running(steps, logLines, stepDelay);
    return new RunPlan(steps, Optional.empty());
  }

  /** The steps of a workload that starts: it reaches RUNNING, then writes one line per step. */
  private static void running(List<Step> steps, List<String> logLines, Duration stepDelay) {
    steps.add(new Reach(stepDelay, InstanceState.RUNNING));
    logLines.forEach(line -> steps.add(new Print(stepDelay, line)));
  }

  /** The image a workload runs; a script runs in the in-memory runtime's image of its language. */
  static String imageOf(Workload workload) {
    if (workload instanceof ContainerImage container) {
      return container.image();
    }
    if (workload instanceof Script script) {
      return "in-memory/" + script.language().name().toLowerCase(Locale.ROOT);
    }
    throw new IllegalStateException("unknown workload " + workload);
  }

  /** One step of a run. */
  sealed interface Step {
    /** How long after the previous step (or the launch) this one happens. */
    Duration delay();
  }

  /** The workload reports that it reached {@code state}. */
  record Reach(Duration delay, InstanceState state) implements Step {
    Reach {
      requireNonNull(delay, "delay is null");
      requireNonNull(state, "state is null");
    }
  }

  /** The workload writes {@code line} to its log. */
  record Print(Duration delay, String line) implements Step {
    Print {
      requireNonNull(delay, "delay is null");
      requireNonNull(line, "line is null");
    }
  }

  /** The workload exits with code 0 and leaves {@code result}; the run ends. */
  record Succeed(Duration delay, ToolResult result) implements Step {
    Succeed {
      requireNonNull(delay, "delay is null");
      requireNonNull(result, "result is null");
    }
  }

  /** The workload ends for {@code reason}, with {@code exitCode} when it has one; the run ends. */
  record Fail(Duration delay, FailureReason reason, Optional<Integer> exitCode) implements Step {
    Fail {
      requireNonNull(delay, "delay is null");
      requireNonNull(reason, "reason is null");
      requireNonNull(exitCode, "exitCode is null");
    }
  }
}
