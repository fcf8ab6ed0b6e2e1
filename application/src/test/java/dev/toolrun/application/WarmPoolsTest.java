package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.out.PoolStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the core does with a runtime's warm pools: it records on each instance whether its workload
 * started warm or cold, and describes the pools with the runtime.
 */
class WarmPoolsTest {
  private final InMemoryToolrun toolrun = new InMemoryToolrun(Capacity.DEFAULT);

  @AfterEach
  void close() {
    toolrun.close();
  }

  @Test
  void aRunThatTookAPoolPodIsRecordedWarm() {
    toolrun.registered("greeter");
    toolrun.runtime.resizePool(new ToolName("greeter"), 1);
    await().until(() -> pool().ready() == 1);

    InstanceId id = toolrun.launched("greeter");

    assertThat(toolrun.awaitState(id, InstanceState.SUCCEEDED).start())
        .contains(WorkloadStart.WARM);
    assertThat(pool().claimed()).isEqualTo(1);
  }

  @Test
  void aRunWithoutAPoolPodIsRecordedCold() {
    toolrun.registered("plain");

    InstanceId id = toolrun.launched("plain");

    assertThat(toolrun.awaitState(id, InstanceState.SUCCEEDED).start())
        .contains(WorkloadStart.COLD);
  }

  private PoolStatus pool() {
    return toolrun.app.describeRuntime().describe().pools().stream()
        .filter(p -> p.tool().value().equals("greeter"))
        .findFirst()
        .orElseThrow();
  }
}
