package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.domain.instance.Instance;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An upgrade reads every record an older toolrun wrote: the golden fixtures, record ConfigMaps
 * exactly as toolrun 2fb5d17 stored them, are put in a namespace and read by today's repositories,
 * which must yield the very domain objects they were written from (GoldenRecordShapesTest checks
 * that today's records are written in that shape).
 */
@EnableKubernetesMockClient(crud = true)
class GoldenRecordsTest {
  private static final String NAMESPACE = "golden";

  KubernetesClient client;
  private KubernetesCluster cluster;

  @BeforeEach
  void storeFixtures() {
    cluster = KubernetesCluster.using(client, KubernetesConfig.defaults().inNamespace(NAMESPACE));
    for (Path fixture : GoldenRecords.fixtures("v1")) {
      client.configMaps().inNamespace(NAMESPACE).resource(GoldenRecords.record(fixture)).create();
    }
  }

  @AfterEach
  void close() {
    cluster.close();
    client.close();
  }

  @Test
  void v1ToolRecordsReadAsTheToolsTheyWereWrittenFrom() {
    try (KubernetesToolRepository tools = new KubernetesToolRepository(cluster)) {
      assertThat(tools.versions(GoldenRecords.TOOL))
          .containsExactlyElementsOf(GoldenRecords.tools().values());
    }
  }

  @Test
  void v1InstanceRecordsReadAsTheInstancesTheyWereWrittenFrom() {
    try (KubernetesInstanceRepository instances = new KubernetesInstanceRepository(cluster)) {
      for (Map.Entry<String, Instance> golden : GoldenRecords.instances().entrySet()) {
        Instance expected = golden.getValue();
        assertThat(instances.find(expected.id())).as(golden.getKey()).contains(expected);
        expected
            .idempotencyKey()
            .ifPresent(
                key ->
                    assertThat(instances.findByIdempotencyKey(key.value()))
                        .as(golden.getKey())
                        .contains(expected));
      }
    }
  }
}
