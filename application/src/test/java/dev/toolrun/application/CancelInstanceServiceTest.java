package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.StateChange;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.RunProgress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CancelInstanceServiceTest {
  private final InMemoryToolrun toolrun = new InMemoryToolrun(Capacity.DEFAULT);

  @AfterEach
  void close() {
    toolrun.close();
  }

  private InstanceId runningInstance() {
    toolrun.registered("endless");
    toolrun.runtime.script(new ToolName("endless"), Scenario.neverFinish());
    InstanceId id = toolrun.launch("endless").view().instance().id();
    toolrun.awaitState(id, InstanceState.RUNNING);
    return id;
  }

  @Test
  void aCancelledRunningTaskEndsCancelledAndItsWorkloadIsRemoved() {
    InstanceId id = runningInstance();

    InstanceView cancelled = toolrun.cancel(id);

    assertThat(cancelled.instance().state()).isEqualTo(InstanceState.CANCELLED);
    assertThat(cancelled.instance().failure()).contains(new FailureReason.Cancelled());
    assertThat(cancelled.instance().history())
        .extracting(StateChange::state)
        .doesNotContain(InstanceState.FAILED);
    // The runtime completes the log of a workload it removed.
    toolrun.awaitCompleteLog(id);
  }

  @Test
  void aFailureTheKilledWorkloadReportsLaterDoesNotTurnACancellationIntoAFailure() {
    InstanceId id = runningInstance();
    toolrun.cancel(id);

    toolrun
        .app
        .recordRunProgress()
        .record(
            RunProgress.failed(
                id, new FailureReason.ExitedNonZero(137), Optional.of(137), Instant.now()));

    assertThat(toolrun.instance(id).state()).isEqualTo(InstanceState.CANCELLED);
    assertThat(toolrun.instance(id).exitCode()).isEmpty();
  }

  @Test
  void cancellingTwiceChangesNothing() {
    InstanceId id = runningInstance();
    toolrun.cancel(id);
    // The cancel keeps the log tail as it was then; the log ends a moment later and its tail is
    // kept again (LogTailKeeping). What the second cancel must not change is the record after that.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> toolrun.instance(id).logTail().map(t -> t.ended()).orElse(false));
    Instance first = toolrun.instance(id);

    Instance second = toolrun.cancel(id).instance();

    assertThat(second).isEqualTo(first);
  }

  @Test
  void aSucceededTaskCannotBeCancelled() {
    toolrun.registered("quick");
    toolrun.runtime.script(new ToolName("quick"), Scenario.succeed(List.of(), "{}"));
    InstanceId id = toolrun.launch("quick").view().instance().id();
    toolrun.awaitState(id, InstanceState.SUCCEEDED);

    assertThatThrownBy(() -> toolrun.cancel(id))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("from SUCCEEDED to CANCELLED");
    assertThat(toolrun.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
  }

  @Test
  void anUnknownInstanceCannotBeCancelled() {
    InstanceId unknown = InstanceId.generate(Instant.now(), new Random(5));

    assertThatThrownBy(() -> toolrun.cancel(unknown)).isInstanceOf(InstanceNotFoundException.class);
  }
}
