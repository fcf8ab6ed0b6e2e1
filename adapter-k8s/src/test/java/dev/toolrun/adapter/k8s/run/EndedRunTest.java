package dev.toolrun.adapter.k8s.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.k8s.KubernetesAdapter;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.Launches;
import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run that has ended and been cleaned up stays ended while its Job lingers in the cache (a
 * deletion in progress, pods still terminating): later events about it are not a new run to report,
 * follow and delete again. Found on the real cluster by the API-request budget, where a loaded API
 * server showed a second DELETE and repeated log requests.
 */
@EnableKubernetesMockClient(crud = true)
class EndedRunTest {
  private static final String NS = "ns";

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void eventsAfterTheCleanupDoNotEndTheRunAgain() throws InterruptedException {
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
    String jobPath = "/apis/batch/v1/namespaces/" + NS + "/jobs/" + job.getMetadata().getName();
    job.setStatus(
        new JobStatusBuilder()
            .withSucceeded(1)
            .withConditions(
                new JobConditionBuilder().withType("Complete").withStatus("True").build())
            .build());
    // The deletion is accepted but the Job stays, as it does while its pods are being removed.
    server.expect().delete().withPath(jobPath).andReturn(200, job).always();
    client.batch().v1().jobs().inNamespace(NS).resource(job).create();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(job.getMetadata().getName() + "-abcde")
            .withLabels(job.getSpec().getTemplate().getMetadata().getLabels())
            .endMetadata()
            .withNewStatus()
            .withPhase("Succeeded")
            .endStatus()
            .build();
    client.pods().inNamespace(NS).resource(pod).create();
    Queue<RunProgress> reports = new ConcurrentLinkedQueue<>();
    KubernetesConfig config = KubernetesConfig.localCluster().inNamespace(NS);
    KubernetesAdapter kubernetes =
        KubernetesAdapter.using(client, config, new InMemoryLogStore(), Clock.systemUTC());
    WorkloadRuntime runtime = kubernetes.runtime();
    try {
      runtime.observe(reports::add);
      await().atMost(Duration.ofSeconds(10)).until(() -> deletesOf(jobPath) == 1);

      // More news of the ended run: its Job and its pod change while they are being removed.
      client
          .batch()
          .v1()
          .jobs()
          .inNamespace(NS)
          .withName(job.getMetadata().getName())
          .edit(
              j -> {
                j.getMetadata().getLabels().put("seen", "again");
                return j;
              });
      client
          .pods()
          .inNamespace(NS)
          .withName(pod.getMetadata().getName())
          .edit(
              p -> {
                p.getMetadata().getLabels().put("seen", "again");
                return p;
              });

      await()
          .during(Duration.ofSeconds(2))
          .atMost(Duration.ofSeconds(5))
          .until(() -> deletesOf(jobPath) == 1);
      assertThat(reports.stream().filter(r -> r.observed() == InstanceState.SUCCEEDED))
          .as("reported ended")
          .hasSize(1);
    } finally {
      kubernetes.close();
      client.close();
    }
  }

  private final List<RecordedRequest> seen = new ArrayList<>();

  /** DELETE requests for {@code path} so far. */
  private synchronized long deletesOf(String path) throws InterruptedException {
    for (RecordedRequest r = server.takeRequest(1, TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(1, TimeUnit.MILLISECONDS)) {
      seen.add(r);
    }
    return seen.stream()
        .filter(r -> "DELETE".equals(r.getMethod()) && path.equals(r.getPath()))
        .count();
  }
}
