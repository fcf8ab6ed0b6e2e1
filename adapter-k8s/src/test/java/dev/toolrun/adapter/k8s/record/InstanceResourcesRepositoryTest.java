package dev.toolrun.adapter.k8s.record;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.RecordStore;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.InstanceRepositoryContractTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
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
    // As kubectl delete toolrun would.
    RecordType.TOOL_RUNS
        .operation()
        .apply(client)
        .inNamespace("records")
        .withName(id.value())
        .delete();
    return true;
  }

  @AfterEach
  void close() {
    repository.close();
    connection.close();
    client.close();
  }
}
