package dev.toolrun.adapter.k8s;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.Tool;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the golden v1 fixtures with today's record code (commit 2fb5d17), once: run with {@code
 * -Dtoolrun.golden.write=<dir>}. Each record goes through the repositories' own write path (create,
 * then the status patches) onto the mock API server, and is read back from it as stored.
 */
@EnableKubernetesMockClient(crud = true)
class GoldenRecordsV1Writer {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  KubernetesClient client;

  @Test
  @EnabledIfSystemProperty(named = "toolrun.golden.write", matches = ".+")
  void writeFixtures() throws Exception {
    Path dir = Path.of(System.getProperty("toolrun.golden.write"));
    Files.createDirectories(dir);
    KubernetesCluster cluster = KubernetesCluster.using(client, KubernetesConfig.defaults().inNamespace("golden"));
    try (KubernetesToolRepository tools = new KubernetesToolRepository(cluster)) {
      for (Map.Entry<String, Tool> e : GoldenRecords.tools().entrySet()) {
        tools.add(e.getValue());
        write(dir, e.getKey(), KubernetesToolRepository.recordName(e.getValue().name(), e.getValue().version()));
      }
    }
    KubernetesInstanceRepository instances = new KubernetesInstanceRepository(cluster);
    for (Instance instance : GoldenRecords.instances().values()) {
      // As a launch stores it (PENDING), then each later step, as the runtime reports them.
      Instance pending = new Instance(
          instance.id(), instance.toolName(), instance.toolVersion(), instance.mode(), instance.parameters(), instance.secretNames(),
          instance.idempotencyKey(), InstanceState.PENDING, instance.history().subList(0, 1), java.util.Optional.empty(),
          java.util.Optional.empty(), java.util.Optional.empty(), dev.toolrun.domain.instance.ServiceHealth.UNCHECKED, 0,
          java.util.Optional.empty());
      instances.add(pending);
      if (!instance.equals(pending)) {
        instances.update(instance.id(), current -> instance);
      }
    }
    // Writes the steps that wait for the next flush.
    instances.close();
    for (Map.Entry<String, Instance> e : GoldenRecords.instances().entrySet()) {
      write(dir, e.getKey(), KubernetesInstanceRepository.recordName(e.getValue().id()));
    }
    cluster.close();
  }

  private void write(Path dir, String fixture, String recordName) throws Exception {
    ConfigMap stored = client.configMaps().inNamespace("golden").withName(recordName).get();
    // Only what toolrun wrote: the server's own fields (uid, resourceVersion, times) are left out.
    ConfigMap record =
        new ConfigMapBuilder()
            .withNewMetadata()
            .withName(stored.getMetadata().getName())
            .withLabels(new TreeMap<>(stored.getMetadata().getLabels()))
            .withAnnotations(stored.getMetadata().getAnnotations() == null ? null : new TreeMap<>(stored.getMetadata().getAnnotations()))
            .endMetadata()
            .withData(new TreeMap<>(stored.getData()))
            .build();
    Files.writeString(dir.resolve(fixture + ".yaml"), YAML.asYaml(record));
  }
}
