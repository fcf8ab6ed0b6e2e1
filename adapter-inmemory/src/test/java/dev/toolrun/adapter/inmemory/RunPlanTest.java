package dev.toolrun.adapter.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Script;
import dev.toolrun.domain.tool.ScriptLanguage;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunPlanTest {
  private static final Duration STEP = Duration.ofMillis(200);
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private static final ContainerImage IMAGE = ContainerImage.of("busybox:1");

  @Test
  void aSucceedingTaskTakesOneStepPerLineAndItsRunTimeBeforeItsEnd() {
    RunPlan plan =
        RunPlan.forTask(
            Scenario.succeedAfter(Duration.ofSeconds(3), List.of("a", "b"), "{}"),
            IMAGE,
            STEP,
            TIMEOUT);

    assertThat(plan)
        .isEqualTo(
            new RunPlan(
                List.of(
                    new RunPlan.Reach(STEP, InstanceState.RUNNING),
                    new RunPlan.Print(STEP, "a"),
                    new RunPlan.Print(STEP, "b"),
                    new RunPlan.Succeed(STEP.plusSeconds(3), new ToolResult("{}"))),
                Optional.of(TIMEOUT)));
  }

  @Test
  void aFailingTaskEndsWithItsExitCode() {
    RunPlan plan = RunPlan.forTask(Scenario.fail(7, List.of("oops")), IMAGE, STEP, TIMEOUT);

    assertThat(plan.steps())
        .containsExactly(
            new RunPlan.Reach(STEP, InstanceState.RUNNING),
            new RunPlan.Print(STEP, "oops"),
            new RunPlan.Fail(STEP, new FailureReason.ExitedNonZero(7), Optional.of(7)));
  }

  @Test
  void aTaskThatNeverFinishesOnlyReachesRunningAndKeepsItsDeadline() {
    RunPlan plan = RunPlan.forTask(Scenario.neverFinish(), IMAGE, STEP, TIMEOUT);

    assertThat(plan.steps()).containsExactly(new RunPlan.Reach(STEP, InstanceState.RUNNING));
    assertThat(plan.deadline()).contains(TIMEOUT);
  }

  @Test
  void aScriptThatCannotBePulledNamesTheInMemoryImageOfItsLanguage() {
    RunPlan plan =
        RunPlan.forTask(
            Scenario.failToPull(), Script.of(ScriptLanguage.SHELL, "echo hi"), STEP, TIMEOUT);

    assertThat(plan.steps()).hasSize(1);
    assertThat(((RunPlan.Fail) plan.steps().get(0)).reason())
        .isEqualTo(
            new FailureReason.ImagePullFailed(
                "in-memory/shell", "the in-memory runtime was scripted to fail this pull"));
  }

  @Test
  void aServiceHasNoEndAndNoDeadline() {
    RunPlan plan = RunPlan.forService(List.of("listening"), STEP);

    assertThat(plan.steps())
        .containsExactly(
            new RunPlan.Reach(STEP, InstanceState.RUNNING), new RunPlan.Print(STEP, "listening"));
    assertThat(plan.deadline()).isEmpty();
  }

  @Test
  void theSameScenarioAlwaysMakesTheSamePlan() {
    Scenario scenario = Scenario.succeed(List.of("x"), "{\"a\":1}");

    assertThat(RunPlan.forTask(scenario, IMAGE, STEP, TIMEOUT))
        .isEqualTo(RunPlan.forTask(scenario, IMAGE, STEP, TIMEOUT));
  }
}
