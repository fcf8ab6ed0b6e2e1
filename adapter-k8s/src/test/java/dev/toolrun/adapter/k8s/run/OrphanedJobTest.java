package dev.toolrun.adapter.k8s.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.k8s.KubernetesAdapter;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.Launches;
import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/**
 * A Job with toolrun's labels whose instance has no record is an orphan: reported, never adopted
 * nor deleted, whatever the default cleanup policy says.
 */
@EnableKubernetesMockClient(crud = true)
class OrphanedJobTest {
  private static final String NS = "ns";

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void aFinishedJobWithoutARecordIsLeftAlone() {
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
            .withFailed(1)
            .withConditions(
                new JobConditionBuilder()
                    .withType("Failed")
                    .withStatus("True")
                    .withReason("BackoffLimitExceeded")
                    .build())
            .build());
    client.batch().v1().jobs().inNamespace(NS).resource(job).create();
    Queue<RunProgress> reports = new ConcurrentLinkedQueue<>();
    KubernetesConfig config = KubernetesConfig.localCluster().inNamespace(NS);
    KubernetesAdapter kubernetes =
        KubernetesAdapter.using(client, config, new InMemoryLogStore(), Clock.systemUTC());
    WorkloadRuntime runtime = kubernetes.runtime();
    try {
      runtime.observe(
          progress -> {
            reports.add(progress);
            throw new InstanceNotFoundException(progress.id());
          });

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> reports.stream().anyMatch(r -> r.observed() == InstanceState.FAILED));
      // Deleting it would happen right after the report: it does not, and nothing is retried.
      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  client
                          .batch()
                          .v1()
                          .jobs()
                          .inNamespace(NS)
                          .withName(job.getMetadata().getName())
                          .get()
                      != null);
      assertThat(reports).as("reported once").hasSize(1);
    } finally {
      kubernetes.close();
      client.close();
    }
  }
}
