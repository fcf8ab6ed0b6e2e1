package dev.toolrun.adapter.k8s.record;

import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.RecordStore;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.InstanceRepositoryContractTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;

/** The instance repository contract against ToolRun resources on fabric8's mock API server. */
@EnableKubernetesMockClient(crud = true)
class InstanceResourcesRepositoryTest extends InstanceRepositoryContractTest {
  KubernetesClient client;
  private KubernetesCluster connection;
  private KubernetesInstanceRepository repository;

  @Override
  protected InstanceRepository newRepository() {
    connection =
        KubernetesCluster.using(client, KubernetesConfig.defaults().inNamespace("records"));
    repository = new KubernetesInstanceRepository(connection, RecordStore.RESOURCES);
    return repository;
  }

  @Override
  protected boolean deleteOutsideTheRepository(InstanceId id) {
    // As kubectl delete toolrun would, and then the door, which takes toolrun's finalizer off.
    var run = RecordType.TOOL_RUNS.operation().apply(client).inNamespace("records");
    run.withName(id.value()).delete();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> run.withName(id.value()).get().getMetadata().getDeletionTimestamp() != null);
    run.withName(id.value())
        .patch(
            PatchContext.of(PatchType.JSON),
            Finalizers.releasePatch(run.withName(id.value()).get(), ToolRuns.FINALIZER));
    return true;
  }

  @AfterEach
  void close() {
    repository.close();
    connection.close();
    client.close();
  }
}
