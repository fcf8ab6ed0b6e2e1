package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.ports.out.ContractFixtures;
import dev.toolrun.ports.out.Launch;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private static final Tool TASK = ContractFixtures.tool("task", 1);
  private static final Tool SERVICE = ContractFixtures.service("service");

  private final Admission admission = new Admission(1, 2);

  private static Launch launch(Tool tool, int second) {
    return new Launch(
        ContractFixtures.instance(tool, ContractFixtures.T0.plusSeconds(second)),
        tool,
        SecretValues.NONE);
  }

  @Test
  void admitsUpToTheCapOfEachModeAndQueuesTheRestInOrder() {
    Launch t1 = launch(TASK, 1);
    Launch t2 = launch(TASK, 2);
    Launch t3 = launch(TASK, 3);
    Launch t4 = launch(TASK, 4);
    Launch s1 = launch(SERVICE, 5);

    assertThat(admission.admit(t1)).contains(t1);
    assertThat(admission.admit(t2)).contains(t2);
    assertThat(admission.admit(t3)).isEmpty();
    assertThat(admission.admit(t4)).isEmpty();
    assertThat(admission.admit(s1)).contains(s1);

    assertThat(admission.positionOf(t3.instance().id())).contains(1);
    assertThat(admission.positionOf(t4.instance().id())).contains(2);
    assertThat(admission.positionOf(t1.instance().id())).isEmpty();
  }

  @Test
  void releasingCapacityAdmitsTheNextInLine() {
    Launch t1 = launch(TASK, 1);
    Launch t2 = launch(TASK, 2);
    Launch t3 = launch(TASK, 3);
    admission.admit(t1);
    admission.admit(t2);
    admission.admit(t3);

    assertThat(admission.release(t1.instance().id())).containsExactly(t3);
    assertThat(admission.release(t1.instance().id())).isEmpty();
    assertThat(admission.activeCount(dev.toolrun.domain.tool.ToolMode.TASK)).isEqualTo(2);
  }

  @Test
  void aWithdrawnLaunchLeavesTheQueueAndTheOthersMoveUp() {
    Launch t1 = launch(TASK, 1);
    Launch t2 = launch(TASK, 2);
    Launch t3 = launch(TASK, 3);
    Launch t4 = launch(TASK, 4);
    List.of(t1, t2, t3, t4).forEach(admission::admit);

    assertThat(admission.withdraw(t3.instance().id())).isTrue();
    assertThat(admission.withdraw(t3.instance().id())).isFalse();
    assertThat(admission.positionOf(t4.instance().id())).contains(1);
  }

  @Test
  void aLaunchIsNeverAdmittedTwice() {
    Launch t1 = launch(TASK, 1);

    admission.admit(t1);

    assertThat(admission.admit(t1)).isEmpty();
    assertThat(admission.activeCount(dev.toolrun.domain.tool.ToolMode.TASK)).isEqualTo(1);
    assertThat(admission.waitingCount(dev.toolrun.domain.tool.ToolMode.TASK)).isZero();
  }

  @Test
  void noLaunchIsEverDroppedUnderChurn() {
    List<Launch> all = new ArrayList<>();
    List<Launch> started = new ArrayList<>();
    for (int n = 0; n < 50; n++) {
      Launch l = launch(TASK, n);
      all.add(l);
      admission.admit(l).ifPresent(started::add);
    }
    for (int n = 0; n < started.size(); n++) {
      started.addAll(admission.release(started.get(n).instance().id()));
    }

    assertThat(started).containsExactlyElementsOf(all);
  }
}
