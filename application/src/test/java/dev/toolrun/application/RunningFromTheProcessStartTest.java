package dev.toolrun.application;

import static dev.toolrun.ports.out.ContractFixtures.T0;
import static dev.toolrun.ports.out.ContractFixtures.instance;
import static dev.toolrun.ports.out.ContractFixtures.service;
import static dev.toolrun.ports.out.ContractFixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.StateChange;
import dev.toolrun.ports.in.RunProgress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A run too fast to be observed RUNNING still has RUNNING in its history, at the time its process
 * started, when the runtime says when that was.
 */
class RunningFromTheProcessStartTest {
  private static final Instant STARTING_AT = T0.plusSeconds(2);
  private static final Instant PROCESS_START = T0.plusSeconds(5);
  private static final Instant ENDED_AT = T0.plusSeconds(6);

  private static Instance starting() {
    return instance(tool("quick", 1), T0)
        .transitionTo(InstanceState.CREATING, T0.plusSeconds(1))
        .transitionTo(InstanceState.STARTING, STARTING_AT);
  }

  @Test
  void aTaskThatSucceededBeforeItWasSeenRunningWasRunningFromItsProcessStart() {
    Instance after =
        RecordRunProgressService.apply(
            starting(),
            RunProgress.succeeded(starting().id(), Optional.empty(), ENDED_AT)
                .startedAt(Optional.of(PROCESS_START)));

    assertThat(after.history())
        .containsExactly(
            new StateChange(InstanceState.PENDING, T0),
            new StateChange(InstanceState.CREATING, T0.plusSeconds(1)),
            new StateChange(InstanceState.STARTING, STARTING_AT),
            new StateChange(InstanceState.RUNNING, PROCESS_START),
            new StateChange(InstanceState.SUCCEEDED, ENDED_AT));
  }

  @Test
  void aTaskThatEndedBeforeItsStartWasRecordedPassesThroughStartingAndRunning() {
    Instance creating = instance(tool("quick", 1), T0).transitionTo(InstanceState.CREATING, T0);

    Instance after =
        RecordRunProgressService.apply(
            creating,
            RunProgress.failed(
                    creating.id(), new FailureReason.ExitedNonZero(3), Optional.of(3), ENDED_AT)
                .startedAt(Optional.of(PROCESS_START)));

    assertThat(after.history())
        .extracting(StateChange::state)
        .containsExactly(
            InstanceState.PENDING,
            InstanceState.CREATING,
            InstanceState.STARTING,
            InstanceState.RUNNING,
            InstanceState.FAILED);
    assertThat(after.enteredAt(InstanceState.RUNNING)).contains(PROCESS_START);
  }

  @Test
  void aProcessStartOutsideTheRecordedStepsIsKeptBetweenThem() {
    // The node's clock may differ from toolrun's: history stays in order all the same.
    Instance early =
        RecordRunProgressService.apply(
            starting(),
            RunProgress.succeeded(starting().id(), Optional.empty(), ENDED_AT)
                .startedAt(Optional.of(T0)));
    Instance late =
        RecordRunProgressService.apply(
            starting(),
            RunProgress.succeeded(starting().id(), Optional.empty(), ENDED_AT)
                .startedAt(Optional.of(ENDED_AT.plusSeconds(30))));

    assertThat(early.enteredAt(InstanceState.RUNNING)).contains(STARTING_AT);
    assertThat(late.enteredAt(InstanceState.RUNNING)).contains(ENDED_AT);
  }

  @Test
  void aRunningObservationTakesTheProcessStartAsItsTime() {
    Instance after =
        RecordRunProgressService.apply(
            starting(),
            RunProgress.reached(starting().id(), InstanceState.RUNNING, ENDED_AT)
                .startedAt(Optional.of(PROCESS_START)));

    assertThat(after.state()).isEqualTo(InstanceState.RUNNING);
    assertThat(after.enteredAt(InstanceState.RUNNING)).contains(PROCESS_START);
  }

  @Test
  void aRunWhoseProcessNeverStartedIsNotRunning() {
    Instance after =
        RecordRunProgressService.apply(
            starting(),
            RunProgress.failed(
                starting().id(),
                new FailureReason.ImagePullFailed("busybox:nope", "not found"),
                Optional.empty(),
                ENDED_AT));

    assertThat(after.history())
        .extracting(StateChange::state)
        .containsExactly(
            InstanceState.PENDING,
            InstanceState.CREATING,
            InstanceState.STARTING,
            InstanceState.FAILED);
  }

  @Test
  void anInstanceSeenRunningKeepsItsTime() {
    Instance running = starting().transitionTo(InstanceState.RUNNING, T0.plusSeconds(4));

    Instance after =
        RecordRunProgressService.apply(
            running,
            RunProgress.succeeded(running.id(), Optional.empty(), ENDED_AT)
                .startedAt(Optional.of(PROCESS_START)));

    assertThat(after.enteredAt(InstanceState.RUNNING)).contains(T0.plusSeconds(4));
    assertThat(after.state()).isEqualTo(InstanceState.SUCCEEDED);
  }

  @Test
  void aServiceThatCrashedBeforeItWasSeenRunningWasRunning() {
    Instance service =
        instance(service("web"), T0)
            .transitionTo(InstanceState.CREATING, T0.plusSeconds(1))
            .transitionTo(InstanceState.STARTING, STARTING_AT);

    Instance after =
        RecordRunProgressService.apply(
            service,
            RunProgress.failed(
                    service.id(),
                    new FailureReason.CrashLoop(1, List.of()),
                    Optional.of(1),
                    ENDED_AT)
                .startedAt(Optional.of(PROCESS_START)));

    assertThat(after.history())
        .extracting(StateChange::state)
        .containsExactly(
            InstanceState.PENDING,
            InstanceState.CREATING,
            InstanceState.STARTING,
            InstanceState.RUNNING,
            InstanceState.FAILED);
  }
}
