package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.LocalCluster;
import dev.toolrun.adapter.k8s.RecordStore;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.InstanceRepositoryContractTest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The instance repository contract on ToolRun resources of a real API server (status through the
 * status subresource), as the runner user with toolrun's Role.
 */
class InstanceResourcesClusterIT extends InstanceRepositoryContractTest {
  private static LocalCluster cluster;
  private KubernetesCluster connection;
  private KubernetesInstanceRepository repository;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Override
  protected InstanceRepository newRepository() {
    connection =
        KubernetesCluster.using(
            cluster.runner(), KubernetesConfig.defaults().inNamespace(cluster.namespace()));
    repository = new KubernetesInstanceRepository(connection, RecordStore.RESOURCES);
    return repository;
  }

  @Override
  protected boolean deleteOutsideTheRepository(InstanceId id) {
    // As kubectl delete toolrun would, and then the door, which takes toolrun's finalizer off
    // (no door runs here: this is the repository alone).
    runs().withName(id.value()).delete();
    releaseFinalizer(id.value());
    return true;
  }

  private static void releaseFinalizer(String name) {
    GenericKubernetesResource run = runs().withName(name).get();
    if (run != null && run.getMetadata().getFinalizers().contains(ToolRuns.FINALIZER)) {
      runs()
          .withName(name)
          .patch(PatchContext.of(PatchType.JSON), Finalizers.releasePatch(run, ToolRuns.FINALIZER));
    }
  }

  @Test
  void everyGoldenInstanceComesBackFromTheApiServerUnchanged() {
    for (Map.Entry<String, Instance> golden : GoldenRecords.instances().entrySet()) {
      Instance instance = golden.getValue();
      // An instance past PENDING is stored with its launch and then its status, as add() does.
      repository.add(instance);

      try (KubernetesInstanceRepository reread =
          new KubernetesInstanceRepository(connection, RecordStore.RESOURCES)) {
        assertThat(reread.find(instance.id())).as(golden.getKey()).contains(instance);
      }
      repository.remove(instance.id());
    }
  }

  @Test
  void aFieldTheStatusNoLongerHasIsGoneFromTheStoredRecordToo() {
    // A health check's error, stored, then cleared by one that passes: a JSON merge patch of the
    // status would keep the error unless it removes it.
    Instance serving = GoldenRecords.instances().get("instance-serving-health-restarts");
    repository.add(serving);
    Instance healthy =
        repository.update(
            serving.id(), i -> i.withHealth(i.health().passed(GoldenRecords.T0.plusSeconds(7200))));
    assertThat(healthy.health().lastError()).isEmpty();

    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              try (KubernetesInstanceRepository reread =
                  new KubernetesInstanceRepository(connection, RecordStore.RESOURCES)) {
                assertThat(reread.find(serving.id())).contains(healthy);
              }
            });
  }

  @AfterEach
  void removeRecords() {
    repository.close();
    connection.close();
    runs().delete();
    // Records the repository did not remove keep toolrun's finalizer, which no door here takes off.
    runs().list().getItems().forEach(run -> releaseFinalizer(run.getMetadata().getName()));
    await().atMost(Duration.ofSeconds(30)).until(() -> runs().list().getItems().isEmpty());
  }

  private static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      runs() {
    return cluster
        .admin()
        .genericKubernetesResources(RecordType.API_VERSION, "ToolRun")
        .inNamespace(cluster.namespace());
  }
}
