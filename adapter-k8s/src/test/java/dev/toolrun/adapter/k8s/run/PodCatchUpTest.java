package dev.toolrun.adapter.k8s.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.k8s.KubernetesAdapter;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.Launches;
import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.RecordingProgress;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Jobs watch delivers a finished Job before the pods watch delivers its pod: the outcome waits
 * for the pod, which carries the result, instead of being reported without it.
 */
@EnableKubernetesMockClient(crud = true)
class PodCatchUpTest {
  private static final String NS = "ns";

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void aFinishedJobWhosePodIsNotSeenYetWaitsForItsResult() {
    server
        .expect()
        .get()
        .withPath("/version")
        .andReturn(200, "{\"major\":\"1\",\"minor\":\"20\"}")
        .always();
    Job job =
        new JobFactory(KubernetesConfig.localCluster(), true)
            .desired(Launches.image("busybox:1", List.of("true")))
            .job();
    job.setStatus(
        new JobStatusBuilder()
            .withSucceeded(1)
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());
    client.batch().v1().jobs().inNamespace(NS).resource(job).create();
    RecordingProgress progress = new RecordingProgress();
    KubernetesAdapter kubernetes =
        KubernetesAdapter.using(
            client,
            KubernetesConfig.localCluster().inNamespace(NS),
            new InMemoryLogStore(),
            Clock.systemUTC());
    WorkloadRuntime runtime = kubernetes.runtime();
    try {
      runtime.observe(progress);
      // The Job alone says SUCCEEDED; its pod, with the result, comes a moment later.
      Pod pod =
          new PodBuilder()
              .withNewMetadata()
              .withName(job.getMetadata().getName() + "-abcde")
              .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
              .endMetadata()
              .withNewStatus()
              .withPhase("Succeeded")
              .withContainerStatuses(
                  new ContainerStatusBuilder()
                      .withName(JobFactory.CONTAINER)
                      .withNewState()
                      .withNewTerminated()
                      .withExitCode(0)
                      .withMessage("{\"late\":true}")
                      .withFinishedAt("2026-11-25T10:00:00Z")
                      .endTerminated()
                      .endState()
                      .build())
              .endStatus()
              .build();
      client.pods().inNamespace(NS).resource(pod).create();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> progress.terminal(Launches.ID).isPresent());
      RunProgress end = progress.terminal(Launches.ID).orElseThrow();
      assertThat(end.observed()).isEqualTo(InstanceState.SUCCEEDED);
      assertThat(end.result()).contains(new ToolResult("{\"late\":true}"));
    } finally {
      kubernetes.close();
      client.close();
    }
  }
}
