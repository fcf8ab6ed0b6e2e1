package dev.toolrun.domain.instance;

import static dev.toolrun.domain.instance.Instances.LATER;
import static dev.toolrun.domain.instance.Instances.START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.tool.ToolMode;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstanceTest {

  @Test
  void aLaunchedInstanceIsPendingAndRecordsItsToolVersion() {
    Instance instance = Instances.pending(ToolMode.TASK);

    assertThat(instance.state()).isEqualTo(InstanceState.PENDING);
    assertThat(instance.toolVersion()).isEqualTo(1);
    assertThat(instance.createdAt()).isEqualTo(START);
    assertThat(instance.history()).containsExactly(new StateChange(InstanceState.PENDING, START));
  }

  @Test
  void everyTransitionIsTimestamped() {
    Instance done =
        Instances.pending(ToolMode.TASK)
            .transitionTo(InstanceState.CREATING, START.plusSeconds(1))
            .transitionTo(InstanceState.STARTING, START.plusSeconds(2))
            .transitionTo(InstanceState.RUNNING, START.plusSeconds(3))
            .succeed(Optional.of(new ToolResult("{\"ok\":true}")), START.plusSeconds(4));

    assertThat(done.history())
        .extracting(StateChange::state)
        .containsExactly(
            InstanceState.PENDING,
            InstanceState.CREATING,
            InstanceState.STARTING,
            InstanceState.RUNNING,
            InstanceState.SUCCEEDED);
    assertThat(done.enteredAt(InstanceState.RUNNING)).contains(START.plusSeconds(3));
    assertThat(done.updatedAt()).isEqualTo(START.plusSeconds(4));
    assertThat(done.exitCode()).contains(0);
    assertThat(done.result()).contains(new ToolResult("{\"ok\":true}"));
  }

  @Test
  void aFailureCarriesItsReasonAndExitCode() {
    Instance failed =
        Instances.in(InstanceState.RUNNING, ToolMode.TASK)
            .fail(new FailureReason.ExitedNonZero(3), Optional.empty(), LATER);

    assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
    assertThat(failed.failure()).contains(new FailureReason.ExitedNonZero(3));
    assertThat(failed.exitCode()).contains(3);
  }

  @Test
  void aDeadlineEndsInTimedOutAndACancellationInCancelled() {
    Instance running = Instances.in(InstanceState.RUNNING, ToolMode.TASK);

    assertThat(
            running
                .fail(
                    new FailureReason.DeadlineExceeded(Duration.ofSeconds(5)),
                    Optional.empty(),
                    LATER)
                .state())
        .isEqualTo(InstanceState.TIMED_OUT);
    assertThat(running.fail(new FailureReason.Cancelled(), Optional.empty(), LATER).state())
        .isEqualTo(InstanceState.CANCELLED);
  }

  @Test
  void aFinishedInstanceCannotBeCancelled() {
    Instance done = Instances.in(InstanceState.SUCCEEDED, ToolMode.TASK);

    assertThatThrownBy(() -> done.fail(new FailureReason.Cancelled(), Optional.empty(), LATER))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("from SUCCEEDED to CANCELLED");
  }

  @Test
  void anObservedLaterStatePassesThroughTheStatesInBetween() {
    Instance advanced = Instances.pending(ToolMode.TASK).advanceTo(InstanceState.RUNNING, LATER);

    assertThat(advanced.history())
        .extracting(StateChange::state)
        .containsExactly(
            InstanceState.PENDING,
            InstanceState.CREATING,
            InstanceState.STARTING,
            InstanceState.RUNNING);
  }

  @Test
  void aLateOrRepeatedObservationChangesNothing() {
    Instance serving = Instances.in(InstanceState.SERVING, ToolMode.SERVICE);
    Instance done = Instances.in(InstanceState.SUCCEEDED, ToolMode.TASK);

    assertThat(serving.advanceTo(InstanceState.RUNNING, LATER)).isSameAs(serving);
    assertThat(serving.advanceTo(InstanceState.SERVING, LATER)).isSameAs(serving);
    assertThat(done.advanceTo(InstanceState.RUNNING, LATER)).isSameAs(done);
  }

  @Test
  void anObservationOutsideTheModeIsIllegal() {
    Instance running = Instances.in(InstanceState.RUNNING, ToolMode.TASK);

    assertThatThrownBy(() -> running.advanceTo(InstanceState.SERVING, LATER))
        .isInstanceOf(IllegalTransitionException.class);
  }

  @Test
  void aRestartCountsAndStartsHealthAfresh() {
    Instance serving =
        Instances.in(InstanceState.SERVING, ToolMode.SERVICE)
            .withHealth(ServiceHealth.UNCHECKED.failed(LATER, "connection refused"));

    Instance restarted = serving.restart(LATER.plusSeconds(1));

    assertThat(restarted.state()).isEqualTo(InstanceState.STARTING);
    assertThat(restarted.restarts()).isEqualTo(1);
    assertThat(restarted.health()).isEqualTo(ServiceHealth.UNCHECKED);
  }

  @Test
  void eachChangeKeepsEverythingItDoesNotChange() {
    Instance launched =
        Instance.launch(
            Instances.ID,
            Instances.tool(ToolMode.SERVICE),
            Parameters.NONE,
            Set.of("token"),
            Optional.of(new IdempotencyKey("once", "fingerprint")),
            START);
    Instance serving =
        launched
            .advanceTo(InstanceState.SERVING, START.plusSeconds(1))
            .withLogTail(new LogTail(List.of("listening"), 1));
    ServiceHealth failedOnce = ServiceHealth.UNCHECKED.failed(LATER, "connection refused");

    Instance checked = serving.withHealth(failedOnce);
    Instance restarted = checked.restart(LATER.plusSeconds(1));
    Instance ended =
        restarted
            .withLogTail(new LogTail(List.of("bye"), 2))
            .fail(new FailureReason.ExitedNonZero(3), Optional.empty(), LATER.plusSeconds(2));

    for (Instance changed : List.of(checked, restarted, ended)) {
      assertThat(changed)
          .extracting(
              Instance::id,
              Instance::toolName,
              Instance::toolVersion,
              Instance::mode,
              Instance::parameters,
              Instance::secretNames,
              Instance::idempotencyKey)
          .containsExactly(
              launched.id(),
              launched.toolName(),
              launched.toolVersion(),
              launched.mode(),
              launched.parameters(),
              launched.secretNames(),
              launched.idempotencyKey());
    }
    assertThat(checked)
        .extracting(Instance::state, Instance::history, Instance::restarts, Instance::logTail)
        .containsExactly(serving.state(), serving.history(), 0, serving.logTail());
    assertThat(checked.health()).isEqualTo(failedOnce);
    assertThat(restarted.logTail()).isEqualTo(serving.logTail());
    assertThat(ended)
        .extracting(Instance::health, Instance::restarts, Instance::exitCode, Instance::logTail)
        .containsExactly(
            ServiceHealth.UNCHECKED,
            1,
            Optional.of(3),
            Optional.of(new LogTail(List.of("bye"), 2)));
  }

  @Test
  void healthCountsConsecutiveFailuresUntilACheckPasses() {
    ServiceHealth health =
        ServiceHealth.UNCHECKED.failed(START, "timeout").failed(LATER, "connection refused");

    assertThat(health.consecutiveFailures()).isEqualTo(2);
    assertThat(health.lastError()).contains("connection refused");
    assertThat(health.passed(LATER).consecutiveFailures()).isZero();
    assertThat(health.passed(LATER).lastHealthyAt()).contains(LATER);
  }
}
