package dev.toolrun.application;

import static dev.toolrun.application.InMemoryToolrun.failureOf;
import static dev.toolrun.application.InMemoryToolrun.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.adapter.inmemory.ServiceBehaviour;
import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.InstanceNotServingException;
import dev.toolrun.domain.error.UpstreamFailedException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.instance.StateChange;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.DeleteToolUseCase.DeleteToolCommand;
import dev.toolrun.ports.in.GetToolUseCase.GetToolQuery;
import dev.toolrun.ports.out.Launch;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A service instance from launch to its end: serving, stopping, and what it refuses. */
class ServiceInstanceLifecycleTest {
  private InMemoryToolrun toolrun = new InMemoryToolrun(Capacity.DEFAULT);

  @AfterEach
  void close() {
    toolrun.close();
  }

  private InstanceId serving(String tool) {
    toolrun.registeredService(tool, FastServiceSettings.settings().build());
    InstanceId id = toolrun.launched(tool);
    toolrun.awaitState(id, InstanceState.SERVING);
    return id;
  }

  private CompletableFuture<ServiceResponse> runtimeHealthCheck(InstanceId id) {
    return toolrun
        .runtime
        .send(id, FastServiceSettings.PORT, ServiceRequest.get("/health"), Duration.ofSeconds(5))
        .toCompletableFuture();
  }

  @Test
  void aServiceServesAfterItsFirstPassingHealthCheckAnswersRequestsAndStops() {
    toolrun.registeredService("web", FastServiceSettings.settings().build());
    InstanceId id = toolrun.launched("web");

    Instance serving = toolrun.awaitState(id, InstanceState.SERVING);

    assertThat(serving.history())
        .extracting(StateChange::state)
        .containsExactly(
            InstanceState.PENDING,
            InstanceState.CREATING,
            InstanceState.STARTING,
            InstanceState.RUNNING,
            InstanceState.SERVING);
    assertThat(serving.health().lastCheckAt()).isPresent();
    assertThat(serving.health().lastHealthyAt()).isEqualTo(serving.health().lastCheckAt());
    assertThat(serving.health().lastError()).isEmpty();
    assertThat(serving.health().consecutiveFailures()).isZero();

    ServiceResponse answer =
        toolrun
            .send(
                id,
                new ServiceRequest(
                    "POST",
                    "/greet",
                    Map.of("content-type", List.of("text/plain")),
                    "hi".getBytes(StandardCharsets.UTF_8)))
            .join();
    assertThat(answer.status()).isEqualTo(200);
    assertThat(text(answer))
        .contains("\"runtime\":\"in-memory\"", "\"path\":\"/greet\"", "\"body\":\"hi\"");

    Instance stopping = toolrun.stop(id).instance();

    assertThat(stopping.state()).isEqualTo(InstanceState.STOPPING);
    Instance stopped = toolrun.awaitState(id, InstanceState.STOPPED);
    assertThat(stopped.history())
        .extracting(StateChange::state)
        .endsWith(InstanceState.SERVING, InstanceState.STOPPING, InstanceState.STOPPED);
    assertThat(stopped.failure()).isEmpty();
    assertThat(failureOf(runtimeHealthCheck(id)))
        .as("the workload is gone")
        .isInstanceOf(UpstreamFailedException.class);
    toolrun.awaitCompleteLog(id);
  }

  @Test
  void stoppingAStoppedServiceAgainChangesNothing() {
    InstanceId id = serving("web");
    toolrun.stop(id);
    Instance stopped = toolrun.awaitState(id, InstanceState.STOPPED);

    Instance again = toolrun.stop(id).instance();

    assertThat(again).isEqualTo(stopped);
  }

  @Test
  void aTaskIsCancelledNotStopped() {
    toolrun.registered("job");
    toolrun.runtime.script(new ToolName("job"), Scenario.neverFinish());
    InstanceId id = toolrun.launched("job");
    toolrun.awaitState(id, InstanceState.RUNNING);

    assertThatThrownBy(() -> toolrun.stop(id))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("from RUNNING to STOPPING");
    assertThat(toolrun.instance(id).state()).isEqualTo(InstanceState.RUNNING);
  }

  @Test
  void aServiceIsStoppedNotCancelled() {
    InstanceId id = serving("web");

    assertThatThrownBy(() -> toolrun.cancel(id))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("from SERVING to CANCELLED");
    assertThat(toolrun.instance(id).state()).isEqualTo(InstanceState.SERVING);
  }

  @Test
  void anUnknownInstanceCannotBeStoppedOrSentRequests() {
    InstanceId unknown = InstanceId.generate(Instant.now(), new Random(9));

    assertThatThrownBy(() -> toolrun.stop(unknown)).isInstanceOf(InstanceNotFoundException.class);
    assertThat(failureOf(toolrun.send(unknown, "/"))).isInstanceOf(InstanceNotFoundException.class);
  }

  @Test
  void aServiceWaitingForCapacityTakesNoRequests() {
    toolrun.close();
    toolrun = new InMemoryToolrun(new Capacity(1, 1));
    InstanceId first = serving("web");
    InstanceId waiting = toolrun.launched("web");

    assertThat(toolrun.view(waiting).queuePosition()).contains(1);
    assertThat(failureOf(toolrun.send(waiting, "/")))
        .isInstanceOfSatisfying(
            InstanceNotServingException.class,
            e -> assertThat(e.state()).isEqualTo(InstanceState.PENDING))
        .hasMessageContaining("state PENDING");
    assertThat(toolrun.send(first, "/").join().status()).isEqualTo(200);
  }

  @Test
  void aRunningServiceThatHasNotPassedAHealthCheckTakesNoRequests() {
    toolrun.registeredService("unready", FastServiceSettings.settings().build());
    toolrun.runtime.script(
        new ToolName("unready"), ServiceBehaviour.echo().withHealth(call -> false));
    InstanceId id = toolrun.launched("unready");
    await()
        .atMost(InMemoryToolrun.PATIENCE)
        .until(() -> toolrun.instance(id).health().consecutiveFailures() >= 1);

    assertThat(toolrun.instance(id).state()).isEqualTo(InstanceState.RUNNING);
    assertThat(failureOf(toolrun.send(id, "/")))
        .isInstanceOfSatisfying(
            InstanceNotServingException.class,
            e -> assertThat(e.state()).isEqualTo(InstanceState.RUNNING))
        .hasMessageContaining("once it is SERVING");
    assertThat(toolrun.instance(id).health().lastError())
        .contains("the health check answered HTTP 503");
  }

  @Test
  void aStoppedServiceTakesNoRequests() {
    InstanceId id = serving("web");
    toolrun.stop(id);
    toolrun.awaitState(id, InstanceState.STOPPED);

    assertThat(failureOf(toolrun.send(id, "/")))
        .isInstanceOfSatisfying(
            InstanceNotServingException.class,
            e -> assertThat(e.state()).isEqualTo(InstanceState.STOPPED))
        .hasMessageContaining("it has ended");
  }

  @Test
  void aTaskTakesNoRequests() {
    toolrun.registered("job");
    toolrun.runtime.script(new ToolName("job"), Scenario.neverFinish());
    InstanceId id = toolrun.launched("job");
    toolrun.awaitState(id, InstanceState.RUNNING);

    assertThat(failureOf(toolrun.send(id, "/")))
        .isInstanceOf(InstanceNotServingException.class)
        .hasMessageContaining("state RUNNING")
        .hasMessageContaining("it is a task");
  }

  @Test
  void aToolWithAnActiveServiceCannotBeDeletedUntilTheServiceEnds() {
    InstanceId id = serving("web");

    assertThatThrownBy(
            () -> toolrun.app.deleteTool().delete(new DeleteToolCommand(new ToolName("web"))))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining(id.toString())
        .hasMessageContaining("SERVING");

    toolrun.stop(id);
    toolrun.awaitState(id, InstanceState.STOPPED);
    toolrun.app.deleteTool().delete(new DeleteToolCommand(new ToolName("web")));

    assertThat(toolrun.tools.latest(new ToolName("web"))).isEmpty();
    assertThatThrownBy(
            () ->
                toolrun.app.getTool().get(new GetToolQuery(new ToolName("web"), Optional.empty())))
        .hasMessageContaining("not registered");
    assertThat(toolrun.instance(id).state())
        .as("its record stays")
        .isEqualTo(InstanceState.STOPPED);
  }

  @Test
  void aServiceStoppedWhileTheRuntimeCreatesItsWorkloadHasTheWorkloadRemoved() {
    toolrun.close();
    toolrun =
        new InMemoryToolrun(
            Capacity.DEFAULT,
            runtime ->
                new DelegatingRuntime(runtime) {
                  @Override
                  public WorkloadStart launch(Launch launch) {
                    // The user stops the service while the runtime is still creating the workload.
                    toolrun.stop(launch.instance().id());
                    return super.launch(launch);
                  }
                });
    toolrun.registeredService("web", FastServiceSettings.settings().build());

    InstanceId id = toolrun.launched("web");

    assertThat(toolrun.awaitState(id, InstanceState.STOPPED).history())
        .extracting(StateChange::state)
        .containsExactly(
            InstanceState.PENDING,
            InstanceState.CREATING,
            InstanceState.STOPPING,
            InstanceState.STOPPED);
    // The in-memory runtime completes the log of a workload it removed; a forgotten one never ends.
    toolrun.awaitCompleteLog(id);
    assertThat(failureOf(runtimeHealthCheck(id))).isInstanceOf(UpstreamFailedException.class);
  }
}
