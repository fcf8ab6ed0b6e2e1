package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.CheckReadinessUseCase.Readiness;
import dev.toolrun.ports.in.DeleteToolUseCase.DeleteToolCommand;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.Leadership;
import dev.toolrun.ports.out.PageRequest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A toolrun that is not the writer (a standby replica, or one shutting down) writes nothing a
 * caller asks for. A standby is ready and says it stands by (the Service routes by its pod's role
 * label); one shutting down is not ready; once it leads and is started, it works as a sole toolrun.
 */
class LeadershipGateTest {
  private static final String STANDBY = "standby: not the leader (the leader is toolrun-a)";
  private static final String OUTAGE = "the Kubernetes API server is unreachable: refused";

  private final AtomicReference<Optional<String>> notWriting =
      new AtomicReference<>(Optional.of(STANDBY));
  private final AtomicReference<Optional<Leadership.Role>> role =
      new AtomicReference<>(Optional.of(Leadership.Role.STANDBY));
  private final InMemoryToolrun toolrun =
      InMemoryToolrun.standby(
          new Leadership() {
            @Override
            public Optional<String> notWriting() {
              return notWriting.get();
            }

            @Override
            public Optional<Leadership.Role> role() {
              return role.get();
            }
          });

  @AfterEach
  void close() {
    toolrun.close();
  }

  @Test
  void aHealthyStandbyIsReadyAndSaysItStandsBy() {
    Readiness readiness = toolrun.app.checkReadiness().check();

    assertThat(readiness.ready()).isTrue();
    assertThat(readiness.role()).contains(Leadership.Role.STANDBY);
  }

  @Test
  void aStandbyThatCannotReachTheApiServerIsNotReady() {
    toolrun.runtime.beginOutage(OUTAGE);

    Readiness readiness = toolrun.app.checkReadiness().check();

    assertThat(readiness.problems()).containsExactly(OUTAGE);
    assertThat(readiness.role()).contains(Leadership.Role.STANDBY);
  }

  @Test
  void aStandbyRefusesEveryWriteAtOnceTellingTheCallerToTryAgainAndKeepsNothing() {
    assertThatThrownBy(() -> toolrun.registered("greeter"))
        .isInstanceOfSatisfying(
            RuntimeUnavailableException.class,
            e -> {
              assertThat(e.getMessage()).contains("register tool greeter", STANDBY);
              assertThat(e.retryAfter()).contains(RuntimeGate.RETRY_AFTER);
            });
    assertThatThrownBy(() -> toolrun.launch("greeter"))
        .isInstanceOf(RuntimeUnavailableException.class)
        .hasMessageContaining("launch an instance of greeter");
    assertThatThrownBy(
            () -> toolrun.app.deleteTool().delete(new DeleteToolCommand(new ToolName("greeter"))))
        .isInstanceOf(RuntimeUnavailableException.class);
    assertThat(toolrun.tools.versions(new ToolName("greeter"))).isEmpty();
    assertThat(instances()).isZero();
  }

  @Test
  void onceItLeadsAndIsStartedItWritesAndIsReady() {
    notWriting.set(Optional.empty());
    role.set(Optional.of(Leadership.Role.LEADER));
    toolrun.app.start();

    assertThat(toolrun.app.checkReadiness().check().ready()).isTrue();
    assertThat(toolrun.app.checkReadiness().check().role()).contains(Leadership.Role.LEADER);
    toolrun.registered("greeter");
    InstanceId id = toolrun.launch("greeter").view().instance().id();
    assertThat(toolrun.awaitState(id, InstanceState.SUCCEEDED).state())
        .isEqualTo(InstanceState.SUCCEEDED);
  }

  @Test
  void whileItShutsDownLaunchesAreRefusedAndReadsGoOn() {
    notWriting.set(Optional.empty());
    toolrun.app.start();
    toolrun.registered("greeter");
    InstanceId id = toolrun.launch("greeter").view().instance().id();
    toolrun.awaitState(id, InstanceState.SUCCEEDED);

    notWriting.set(Optional.of("toolrun is shutting down"));
    role.set(Optional.empty());

    assertThatThrownBy(() -> toolrun.launch("greeter"))
        .isInstanceOf(RuntimeUnavailableException.class)
        .hasMessageContaining("toolrun is shutting down");
    assertThat(toolrun.app.checkReadiness().check().problems())
        .containsExactly("toolrun is shutting down");
    assertThat(toolrun.instance(id).state()).isEqualTo(InstanceState.SUCCEEDED);
  }

  private long instances() {
    return toolrun
        .app
        .listInstances()
        .list(new ListInstancesQuery(InstanceFilter.ALL, PageRequest.first(10)))
        .items()
        .size();
  }
}
