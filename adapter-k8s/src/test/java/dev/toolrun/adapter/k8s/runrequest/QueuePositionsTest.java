package dev.toolrun.adapter.k8s.runrequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.k8s.KubernetesAdapter;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.RecordStore;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.record.KubernetesInstanceRepository;
import dev.toolrun.adapter.k8s.record.ToolRuns;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.Toolrun;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.CancelInstanceUseCase.CancelInstanceCommand;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import dev.toolrun.ports.out.Leadership;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Waiting runs' places in the admission queue on their ToolRuns, with fabric8's mock API server
 * (where no Job ever runs, so an admitted run holds its capacity until it is cancelled), the real
 * core with room for one task, and the Kubernetes adapter with ToolRun records.
 */
@EnableKubernetesMockClient(crud = true)
class QueuePositionsTest {
  private static final String NAMESPACE = "queue";
  private static final ToolName SLEEPER = new ToolName("sleeper");
  private static final Duration PATIENCE = Duration.ofSeconds(15);
  private static final Duration REFRESH = Duration.ofMillis(200);

  KubernetesClient client;
  private KubernetesAdapter kubernetes;
  private ScheduledExecutorService executor;
  private Toolrun app;
  private RunRequests door;

  @BeforeEach
  void start() {
    KubernetesConfig config =
        KubernetesConfig.defaults().inNamespace(NAMESPACE).toBuilder()
            .records(RecordStore.RESOURCES)
            .build();
    kubernetes = KubernetesAdapter.using(client, config, new InMemoryLogStore(), Clock.systemUTC());
    executor = Executors.newScheduledThreadPool(2);
    app =
        Toolrun.builder()
            .tools(kubernetes.tools())
            .instances(kubernetes.instances())
            .logs(new InMemoryLogStore())
            .runtime(kubernetes.runtime())
            .capacity(new Capacity(1, 1))
            .executor(executor)
            .clock(Clock.systemUTC())
            .random(new SecureRandom())
            .build();
    app.start();
    app.registerTool()
        .register(
            new RegisterToolCommand(
                SLEEPER,
                "sleeps",
                ToolSpec.task(
                        new ContainerImage(
                            "kube-local.test/busybox:1", List.of("sleep", "3600"), List.of()))
                    .build()));
    door =
        new RunRequests(
            KubernetesCluster.using(client, config),
            (KubernetesInstanceRepository) kubernetes.instances(),
            app.launchInstance(),
            app.cancelInstance(),
            app.stopInstance(),
            app.getInstance(),
            Leadership.SOLE,
            Clock.systemUTC(),
            REFRESH);
    door.start();
  }

  @AfterEach
  void stop() {
    door.close();
    kubernetes.close();
    executor.shutdownNow();
  }

  @Test
  void waitingRunsShowTheirPlaceUntilTheyLeaveTheQueueAndARunAdmittedAtOnceNeverHasOne() {
    InstanceId running = launch();
    InstanceId second = launch();
    InstanceId third = launch();

    await().atMost(PATIENCE).until(() -> shown(second).equals(Optional.of(1)));
    await().atMost(PATIENCE).until(() -> shown(third).equals(Optional.of(2)));
    assertThat(shown(running)).isEmpty();

    // The second leaves the queue: its end is a status write of its record, which removes it.
    cancel(second);
    await().atMost(PATIENCE).until(() -> shown(third).equals(Optional.of(1)));
    await().atMost(PATIENCE).until(() -> shown(second).isEmpty());
    assertThat(status(second)).containsEntry("state", "CANCELLED");

    // The third is admitted: its record's next status write (CREATING or later) removes it.
    cancel(running);
    await().atMost(PATIENCE).until(() -> status(third).get("state") != null);
    await().atMost(PATIENCE).until(() -> shown(third).isEmpty());
    assertThat(shown(running)).isEmpty();
  }

  @Test
  void aPositionWrittenAfterTheRunLeftTheQueueIsRemovedAtTheNextRefresh() {
    InstanceId running = launch();
    InstanceId waiting = launch();
    await().atMost(PATIENCE).until(() -> shown(waiting).equals(Optional.of(1)));
    cancel(waiting);
    await().atMost(PATIENCE).until(() -> "CANCELLED".equals(status(waiting).get("state")));

    // As if a refresh had read the queue just before the record's end was written.
    ToolRuns.of(client)
        .inNamespace(NAMESPACE)
        .withName(waiting.value())
        .subresource("status")
        .patch(
            io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
                io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE),
            "{\"status\":{\"queuePosition\":1}}");

    await().atMost(PATIENCE).until(() -> shown(waiting).isEmpty());
    assertThat(status(waiting)).containsEntry("state", "CANCELLED");
    assertThat(shown(running)).isEmpty();
  }

  private InstanceId launch() {
    return app.launchInstance()
        .launch(
            new LaunchInstanceCommand(
                SLEEPER, Optional.empty(), Parameters.NONE, SecretValues.NONE, Optional.empty()))
        .view()
        .instance()
        .id();
  }

  private void cancel(InstanceId id) {
    app.cancelInstance().cancel(new CancelInstanceCommand(id));
  }

  private Optional<Integer> shown(InstanceId id) {
    return status(id).get(ToolRuns.QUEUE_POSITION) instanceof Number n
        ? Optional.of(n.intValue())
        : Optional.empty();
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> status(InstanceId id) {
    GenericKubernetesResource run =
        ToolRuns.of(client).inNamespace(NAMESPACE).withName(id.value()).get();
    return run.getAdditionalProperties().get("status") instanceof Map<?, ?> s
        ? (Map<String, Object>) s
        : Map.of();
  }
}
