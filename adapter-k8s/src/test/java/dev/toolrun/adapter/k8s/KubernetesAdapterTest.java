package dev.toolrun.adapter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.k8s.record.KubernetesInstanceRepository;
import dev.toolrun.adapter.k8s.record.KubernetesToolRepository;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class KubernetesAdapterTest {
  KubernetesClient client;

  @Test
  void theFaceHandsOutItsPartsAndClosingItLeavesTheCallersClientOpen() {
    KubernetesConfig config = KubernetesConfig.localCluster().inNamespace("face");
    KubernetesAdapter kubernetes =
        KubernetesAdapter.using(client, config, new InMemoryLogStore(), Clock.systemUTC());

    assertThat(kubernetes.runtime()).isSameAs(kubernetes.runtime());
    assertThat(kubernetes.runtime().capabilities().name()).isEqualTo("kubernetes");
    assertThat(kubernetes.tools()).isInstanceOf(KubernetesToolRepository.class);
    assertThat(kubernetes.instances()).isInstanceOf(KubernetesInstanceRepository.class);
    kubernetes.close();

    assertThat(client.configMaps().inNamespace("face").list().getItems()).isEmpty();
  }
}
