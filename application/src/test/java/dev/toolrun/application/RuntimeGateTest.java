package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.CheckReadinessUseCase.Readiness;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.PageRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuntimeGateTest {
  private static final String REASON =
      "the Kubernetes API server is unreachable: Connection refused";

  private final InMemoryToolrun toolrun = new InMemoryToolrun(Capacity.DEFAULT);

  @AfterEach
  void close() {
    toolrun.close();
  }

  @Test
  void readinessFollowsTheRuntimesOutage() {
    assertThat(toolrun.app.checkReadiness().check()).isEqualTo(Readiness.READY);

    toolrun.runtime.beginOutage(REASON);
    assertThat(toolrun.app.checkReadiness().check().problems()).containsExactly(REASON);

    toolrun.runtime.endOutage();
    assertThat(toolrun.app.checkReadiness().check().ready()).isTrue();
  }

  @Test
  void duringAnOutageWritesAreRefusedAtOnceWithTheReasonAndNothingIsCreated() {
    toolrun.registered("greeter");
    toolrun.runtime.beginOutage(REASON);

    assertThatThrownBy(() -> toolrun.launch("greeter"))
        .isInstanceOfSatisfying(
            RuntimeUnavailableException.class,
            e -> {
              assertThat(e.getMessage()).contains("launch an instance of greeter", REASON);
              assertThat(e.retryAfter()).contains(RuntimeGate.RETRY_AFTER);
            });
    assertThatThrownBy(() -> toolrun.registered("another"))
        .isInstanceOf(RuntimeUnavailableException.class);
    assertThat(
            toolrun
                .app
                .listInstances()
                .list(new ListInstancesQuery(InstanceFilter.ALL, PageRequest.first(10)))
                .items())
        .isEmpty();

    toolrun.runtime.endOutage();
    assertThat(toolrun.launch("greeter").view().instance().state()).isNotNull();
  }

  @Test
  void aRunInFlightGoesOnAndStaysReadableWhileCancelsAreRefused() {
    toolrun.registered("endless");
    toolrun.runtime.script(new ToolName("endless"), Scenario.neverFinish());
    InstanceId id = toolrun.launch("endless").view().instance().id();
    toolrun.awaitState(id, InstanceState.RUNNING);

    toolrun.runtime.beginOutage(REASON);

    assertThat(toolrun.app.getInstance().get(new GetInstanceQuery(id)).instance().state())
        .isEqualTo(InstanceState.RUNNING);
    assertThatThrownBy(() -> toolrun.cancel(id))
        .isInstanceOf(RuntimeUnavailableException.class)
        .hasMessageContaining("cancel instance " + id);

    toolrun.runtime.endOutage();
    assertThat(toolrun.cancel(id).instance().state()).isEqualTo(InstanceState.CANCELLED);
  }
}
