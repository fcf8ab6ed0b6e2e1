package dev.toolrun.adapter.k8s.record;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.RecordStore;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.ToolRepositoryContractTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;

/** The tool repository contract against Tool resources on fabric8's mock API server. */
@EnableKubernetesMockClient(crud = true)
class ToolResourcesRepositoryTest extends ToolRepositoryContractTest {
  KubernetesClient client;
  private KubernetesCluster connection;
  private KubernetesToolRepository repository;

  @Override
  protected ToolRepository newRepository() {
    connection = KubernetesCluster.using(client, KubernetesConfig.defaults().inNamespace("tools"));
    repository = new KubernetesToolRepository(connection, RecordStore.RESOURCES);
    return repository;
  }

  @AfterEach
  void close() {
    repository.close();
    connection.close();
    client.close();
  }
}
