package dev.toolrun.adapter.k8s.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.k8s.KubernetesAdapter;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.Launches;
import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.ports.out.RecordingProgress;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API server closes the Jobs watch with 410 Gone ("too old resource version"): the informer
 * lists again and watches on, and a run that ends afterwards is still reported.
 */
@EnableKubernetesMockClient(crud = true)
class InformerRecoveryTest {
  private static final String NS = "ns";
  private static final String WATCH =
      "/apis/batch/v1/namespaces/ns/jobs?allowWatchBookmarks=true&labelSelector=app.kubernetes.io%2Fmanaged-by%3Dtoolrun&resourceVersion=VERSION&timeoutSeconds=600&watch=true";

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void aWatchClosedWithGoneIsResumedAndNothingIsLost() {
    Job job =
        new JobFactory(KubernetesConfig.localCluster(), true)
            .desired(Launches.image("busybox:1", List.of("true")))
            .job();
    client.batch().v1().jobs().inNamespace(NS).resource(job).create();
    String listVersion =
        client.batch().v1().jobs().inNamespace(NS).list().getMetadata().getResourceVersion();
    server
        .expect()
        .get()
        .withPath("/version")
        .andReturn(200, "{\"major\":\"1\",\"minor\":\"20\"}")
        .always();
    server
        .expect()
        .get()
        .withPath(WATCH.replace("VERSION", listVersion))
        .andUpgradeToWebSocket()
        .open()
        .immediately()
        .andEmit(
            new WatchEvent(
                new StatusBuilder()
                    .withCode(410)
                    .withReason("Expired")
                    .withMessage("too old resource version")
                    .build(),
                "ERROR"))
        .done()
        .once();
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
      await().atMost(Duration.ofSeconds(10)).until(() -> !progress.of(Launches.ID).isEmpty());
      await().atMost(Duration.ofSeconds(10)).until(() -> watchRequests() >= 2);

      Job running =
          client.batch().v1().jobs().inNamespace(NS).withName(job.getMetadata().getName()).get();
      running.setStatus(
          new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
              .withConditions(
                  new JobConditionBuilder().withType("Complete").withStatus("True").build())
              .withSucceeded(1)
              .build());
      client.batch().v1().jobs().inNamespace(NS).resource(running).updateStatus();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> progress.terminal(Launches.ID).isPresent());
      assertThat(progress.terminal(Launches.ID).orElseThrow().observed())
          .isEqualTo(InstanceState.SUCCEEDED);
    } finally {
      kubernetes.close();
      client.close();
    }
  }

  private int watchRequests() throws InterruptedException {
    int watches = 0;
    int pending = server.getRequestCount();
    // takeRequest drains the request log; count what is there now.
    for (int i = 0; i < pending; i++) {
      var request = server.takeRequest(100, java.util.concurrent.TimeUnit.MILLISECONDS);
      if (request != null
          && request.getPath().startsWith("/apis/batch/v1/namespaces/ns/jobs?")
          && request.getPath().contains("watch=true")) {
        watches++;
      }
    }
    watchCount += watches;
    return watchCount;
  }

  private int watchCount;
}
