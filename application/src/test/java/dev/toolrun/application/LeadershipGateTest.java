package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.DeleteToolUseCase.DeleteToolCommand;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.PageRequest;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A toolrun that is not the writer (a standby replica, or one shutting down) writes nothing a
 * caller asks for and says so in its readiness; once it leads and is started, it works as a sole
 * toolrun.
 */
class LeadershipGateTest {
  private static final String STANDBY = "standby: not the leader (the leader is toolrun-a)";

  private final AtomicReference<Optional<String>> notWriting =
      new AtomicReference<>(Optional.of(STANDBY));
  private final InMemoryToolrun toolrun = InMemoryToolrun.standby(notWriting::get);

  @AfterEach
  void close() {
    toolrun.close();
  }

  @Test
  void aStandbyIsNotReadyAndSaysWhy() {
    assertThat(toolrun.app.checkReadiness().check().problems()).containsExactly(STANDBY);
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
    toolrun.app.start();

    assertThat(toolrun.app.checkReadiness().check().ready()).isTrue();
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
