package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.StateChange;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.LaunchInstanceUseCase.Launched;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Service instances beyond the cap wait PENDING, in order, and start as active ones stop. */
class ServiceInstanceQueueTest {
  private final InMemoryToolrun toolrun = new InMemoryToolrun(new Capacity(2, 10));
  private final List<InstanceId> ids = new ArrayList<>();
  private final List<Launched> launches = new ArrayList<>();

  @BeforeEach
  void launchFiveServices() {
    toolrun.registeredService("web", FastServiceSettings.settings().build());
    for (int n = 0; n < 5; n++) {
      Launched launched = toolrun.launch("web");
      launches.add(launched);
      ids.add(launched.view().instance().id());
    }
    toolrun.awaitState(ids.get(0), InstanceState.SERVING);
    toolrun.awaitState(ids.get(1), InstanceState.SERVING);
  }

  @AfterEach
  void close() {
    toolrun.close();
  }

  private Optional<Integer> position(int n) {
    return toolrun.view(ids.get(n)).queuePosition();
  }

  @Test
  void servicesBeyondTheCapWaitPendingInOrder() {
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
    assertThat(position(1)).isEmpty();
  }

  @Test
  void stoppingAnActiveServiceStartsTheFirstWaitingOne() {
    toolrun.stop(ids.get(0));

    toolrun.awaitState(ids.get(2), InstanceState.SERVING);
    assertThat(toolrun.instance(ids.get(0)).state()).isEqualTo(InstanceState.STOPPED);
    assertThat(position(2)).isEmpty();
    assertThat(position(3)).contains(1);
    assertThat(position(4)).contains(2);
    assertThat(toolrun.instance(ids.get(3)).state()).isEqualTo(InstanceState.PENDING);
    assertThat(toolrun.instance(ids.get(1)).state()).isEqualTo(InstanceState.SERVING);
  }

  @Test
  void stoppingAWaitingServiceStopsItAtOnceAndTheOthersMoveUp() {
    Instance stopped = toolrun.stop(ids.get(3)).instance();

    assertThat(stopped.state()).isEqualTo(InstanceState.STOPPED);
    assertThat(stopped.history())
        .extracting(StateChange::state)
        .containsExactly(InstanceState.PENDING, InstanceState.STOPPED);
    assertThat(position(3)).isEmpty();
    assertThat(position(2)).contains(1);
    assertThat(position(4)).contains(2);
    // Nothing was freed, so nothing starts.
    await()
        .during(InMemoryToolrun.PATIENCE.dividedBy(20))
        .atMost(InMemoryToolrun.PATIENCE)
        .until(() -> toolrun.instance(ids.get(2)).state() == InstanceState.PENDING);
  }
}
