package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.StateChange;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.LaunchInstanceUseCase.Launched;
import dev.toolrun.ports.in.RunProgress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TaskInstanceQueueTest {
  private final InMemoryToolrun toolrun = new InMemoryToolrun(new Capacity(1, 2));
  private final List<InstanceId> ids = new ArrayList<>();
  private final List<Launched> launches = new ArrayList<>();

  @BeforeEach
  void launchFiveEndlessTasks() {
    toolrun.registered("endless");
    toolrun.runtime.script(new ToolName("endless"), Scenario.neverFinish());
    for (int n = 0; n < 5; n++) {
      Launched launched = toolrun.launch("endless");
      launches.add(launched);
      ids.add(launched.view().instance().id());
    }
    toolrun.awaitState(ids.get(0), InstanceState.RUNNING);
    toolrun.awaitState(ids.get(1), InstanceState.RUNNING);
  }

  @AfterEach
  void close() {
    toolrun.close();
  }

  private Optional<Integer> position(int n) {
    return toolrun.view(ids.get(n)).queuePosition();
  }

  @Test
  void launchesBeyondTheCapWaitPendingInOrder() {
    assertThat(launches)
        .extracting(l -> l.view().queuePosition())
        .containsExactly(
            Optional.empty(), Optional.empty(), Optional.of(1), Optional.of(2), Optional.of(3));
    for (int n = 2; n < 5; n++) {
      InstanceView waiting = toolrun.view(ids.get(n));
      assertThat(waiting.instance().state()).isEqualTo(InstanceState.PENDING);
      assertThat(waiting.queuePosition()).contains(n - 1);
    }
    assertThat(position(0)).isEmpty();
  }

  @Test
  void cancellingARunningTaskStartsTheFirstWaitingOne() {
    toolrun.cancel(ids.get(0));

    toolrun.awaitState(ids.get(2), InstanceState.RUNNING);
    assertThat(position(2)).isEmpty();
    assertThat(position(3)).contains(1);
    assertThat(position(4)).contains(2);
    assertThat(toolrun.instance(ids.get(1)).state()).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void cancellingAWaitingTaskMovesTheOthersUpAndStartsNothing() {
    toolrun.cancel(ids.get(2));

    assertThat(toolrun.instance(ids.get(2)).history())
        .extracting(StateChange::state)
        .containsExactly(InstanceState.PENDING, InstanceState.CANCELLED);
    assertThat(position(2)).isEmpty();
    assertThat(position(3)).contains(1);
    assertThat(position(4)).contains(2);
    await()
        .during(InMemoryToolrun.PATIENCE.dividedBy(20))
        .atMost(InMemoryToolrun.PATIENCE)
        .until(() -> toolrun.instance(ids.get(3)).state() == InstanceState.PENDING);
  }

  @Test
  void aTaskThatEndsByItselfFreesItsPlaceForTheNextInLine() {
    // What the runtime reports when a workload exits: the same path as a scripted end.
    toolrun
        .app
        .recordRunProgress()
        .record(RunProgress.succeeded(ids.get(1), Optional.empty(), Instant.now()));

    toolrun.awaitState(ids.get(2), InstanceState.RUNNING);
    assertThat(position(3)).contains(1);
    assertThat(position(4)).contains(2);
  }

  @Test
  void aRecordThatVanishesFreesItsPlaceAndItsWorkloadGoes() {
    // What the Kubernetes records do when a record is deleted by hand: they forget it and say so.
    toolrun.instances.remove(ids.get(0));

    toolrun.awaitState(ids.get(2), InstanceState.RUNNING);
    await().atMost(InMemoryToolrun.PATIENCE).until(() -> !toolrun.runtime.hasWorkload(ids.get(0)));
    assertThat(position(3)).contains(1);
    assertThat(toolrun.instance(ids.get(1)).state()).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void aWaitingRecordThatVanishesLeavesTheQueueAndTakesNobodysPlace() {
    toolrun.instances.remove(ids.get(2));

    assertThat(position(3)).contains(1);
    assertThat(position(4)).contains(2);
    await()
        .during(InMemoryToolrun.PATIENCE.dividedBy(20))
        .atMost(InMemoryToolrun.PATIENCE)
        .until(() -> toolrun.instance(ids.get(3)).state() == InstanceState.PENDING);
    // Once the first run ends, the next in line is the one behind the vanished launch.
    toolrun.cancel(ids.get(0));
    toolrun.awaitState(ids.get(3), InstanceState.RUNNING);
  }
}
