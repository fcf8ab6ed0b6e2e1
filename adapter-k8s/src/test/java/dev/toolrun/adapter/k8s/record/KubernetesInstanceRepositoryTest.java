package dev.toolrun.adapter.k8s.record;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.InstanceRepositoryContractTest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;

/** The instance repository contract against record ConfigMaps on fabric8's mock API server. */
@EnableKubernetesMockClient(crud = true)
class KubernetesInstanceRepositoryTest extends InstanceRepositoryContractTest {
  KubernetesClient client;
  private KubernetesCluster connection;
  private KubernetesInstanceRepository repository;

  @Override
  protected InstanceRepository newRepository() {
    connection =
        KubernetesCluster.using(client, KubernetesConfig.defaults().inNamespace("records"));
    repository = new KubernetesInstanceRepository(connection);
    return repository;
  }

  @Override
  protected boolean deleteOutsideTheRepository(InstanceId id) {
    // As kubectl delete configmap would.
    client.configMaps().inNamespace("records").withName(InstanceConfigMaps.recordName(id)).delete();
    return true;
  }

  @AfterEach
  void close() {
    repository.close();
    connection.close();
    // Closed here, before the extension stops the mock server: a server that still has the
    // client's connections open can take longer to stop than the extension waits.
    client.close();
  }
}
