package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.LogTail;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.LogStatus;
import dev.toolrun.ports.out.InstanceRepository;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The log tail kept with an ended instance says how its log stood, in the write that ends the
 * instance when the runtime closed the log first, and in one more write when the log ends after the
 * instance (a cancelled run); the instance's log status says the same once the log store has
 * forgotten the log.
 */
class LogTailKeepingTest {
  private final List<Instance> stored = new CopyOnWriteArrayList<>();
  private final InMemoryToolrun toolrun =
      new InMemoryToolrun(new Capacity(1, 1), r -> r, this::counted);

  @AfterEach
  void close() {
    toolrun.close();
  }

  /** The records, remembering every instance an update stored (a write, on Kubernetes). */
  private InstanceRepository counted(InstanceRepository records) {
    return new ForwardingInstanceRepository(records) {
      @Override
      public Instance update(InstanceId id, UnaryOperator<Instance> change) {
        Instance[] before = new Instance[1];
        Instance after =
            super.update(
                id,
                current -> {
                  before[0] = current;
                  return change.apply(current);
                });
        if (!after.equals(before[0])) {
          stored.add(after);
        }
        return after;
      }
    };
  }

  private List<Instance> writesAfterTheEnd(InstanceId id) {
    List<Instance> ofIt = stored.stream().filter(i -> i.id().equals(id)).toList();
    int end = 0;
    while (!ofIt.get(end).isTerminal()) {
      end++;
    }
    return ofIt.subList(end + 1, ofIt.size());
  }

  @Test
  void aRunWhoseLogClosedBeforeItsEndKeepsAWholeTailInTheWriteThatEndsIt() {
    toolrun.registered("quick");
    toolrun.runtime.script(
        new ToolName("quick"), Scenario.succeed(List.of("one", "two", "three"), "{}"));
    InstanceId id = toolrun.launched("quick");

    Instance ended = toolrun.awaitState(id, InstanceState.SUCCEEDED);

    assertThat(ended.logTail())
        .contains(new LogTail(List.of("one", "two", "three"), 3, 0, true, Optional.empty()));
    assertThat(toolrun.view(id).log())
        .contains(new LogStatus(LogStatus.State.COMPLETE, 3, 0, Optional.empty()));
    assertThat(writesAfterTheEnd(id)).isEmpty();
  }

  @Test
  void aCancelledRunWhoseLogEndsAfterwardsKeepsItsTailAgainInOneMoreWrite() {
    toolrun.registered("slow");
    toolrun.runtime.script(
        new ToolName("slow"),
        Scenario.succeedAfter(Duration.ofHours(1), List.of("working", "still working"), "{}"));
    InstanceId id = toolrun.launched("slow");
    await().atMost(InMemoryToolrun.PATIENCE).until(() -> toolrun.log(id).lines().size() == 2);

    Instance cancelled = toolrun.cancel(id).instance();

    // The record ended while the workload still ran: the log was open then.
    assertThat(cancelled.logTail()).map(LogTail::ended).contains(false);
    await()
        .atMost(InMemoryToolrun.PATIENCE)
        .until(() -> toolrun.instance(id).logTail().map(LogTail::ended).orElse(false));
    assertThat(toolrun.instance(id).logTail())
        .contains(new LogTail(List.of("working", "still working"), 2, 0, true, Optional.empty()));
    assertThat(writesAfterTheEnd(id)).hasSize(1);
    assertThat(toolrun.view(id).log())
        .contains(new LogStatus(LogStatus.State.COMPLETE, 2, 0, Optional.empty()));
  }

  @Test
  void aRunCancelledWhileItWaitedKeepsTheEmptyCompleteLogOfARunThatNeverStarted() {
    toolrun.registered("endless");
    toolrun.runtime.script(new ToolName("endless"), Scenario.neverFinish());
    InstanceId first = toolrun.launched("endless");
    toolrun.awaitState(first, InstanceState.RUNNING);
    InstanceId waiting = toolrun.launched("endless");
    assertThat(toolrun.view(waiting).queuePosition()).contains(1);

    Instance cancelled = toolrun.cancel(waiting).instance();

    assertThat(cancelled.logTail()).contains(LogTail.NONE_WRITTEN);
    assertThat(toolrun.view(waiting).log())
        .contains(new LogStatus(LogStatus.State.COMPLETE, 0, 0, Optional.empty()));
    assertThat(writesAfterTheEnd(waiting)).isEmpty();
  }

  @Test
  void aForgottenLogIsToldOfAsItsTailSaysItStood() {
    toolrun.registered("quick");
    toolrun.runtime.script(
        new ToolName("quick"), Scenario.succeed(List.of("one", "two", "three"), "{}"));
    InstanceId id = toolrun.launched("quick");
    toolrun.awaitState(id, InstanceState.SUCCEEDED);
    // As after a restart of toolrun whose log store kept nothing, and a tail saying lines are lost.
    toolrun.instances.update(
        id,
        i ->
            i.withLogTail(
                new LogTail(List.of("three"), 3, 1, true, Optional.of("the stream broke"))));
    toolrun.logs.delete(id);

    assertThat(toolrun.view(id).log())
        .contains(new LogStatus(LogStatus.State.INCOMPLETE, 3, 2, Optional.of("the stream broke")));
    assertThat(toolrun.log(id).lines()).hasSize(1);
  }

  @Test
  void aForgottenLogWhoseEndWasNeverKeptIsIncomplete() {
    toolrun.registered("quick");
    toolrun.runtime.script(new ToolName("quick"), Scenario.succeed(List.of("one"), "{}"));
    InstanceId id = toolrun.launched("quick");
    toolrun.awaitState(id, InstanceState.SUCCEEDED);
    toolrun.instances.update(
        id, i -> i.withLogTail(new LogTail(List.of("one"), 1, 0, false, Optional.empty())));
    toolrun.logs.delete(id);

    assertThat(toolrun.view(id).log())
        .contains(
            new LogStatus(
                LogStatus.State.INCOMPLETE, 1, 0, Optional.of(InstanceQueryService.END_NOT_KEPT)));
  }
}
