package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.k8s.KubernetesCluster;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.tool.Tool;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An upgrade reads every record an older toolrun wrote: the golden fixtures, record ConfigMaps
 * exactly as toolrun 2fb5d17 stored them, are put in a namespace and read by today's
 * repositories, which must yield the very domain objects they were written from.
 */
@EnableKubernetesMockClient(crud = true)
class GoldenRecordsTest {
  private static final String NAMESPACE = "golden";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  KubernetesClient client;
  private KubernetesCluster cluster;

  @BeforeEach
  void storeFixtures() {
    cluster = KubernetesCluster.using(client, KubernetesConfig.defaults().inNamespace(NAMESPACE));
    for (Path fixture : fixtures("v1")) {
      ConfigMap record = YAML.unmarshal(read(fixture), ConfigMap.class);
      client.configMaps().inNamespace(NAMESPACE).resource(record).create();
    }
  }

  @AfterEach
  void close() {
    cluster.close();
    client.close();
  }

  @Test
  void everyV1FixtureIsOneOfTheGoldenRecords() {
    TreeSet<String> names = new TreeSet<>();
    fixtures("v1").forEach(f -> names.add(f.getFileName().toString().replace(".yaml", "")));
    TreeSet<String> expected = new TreeSet<>(GoldenRecords.tools().keySet());
    expected.addAll(GoldenRecords.instances().keySet());

    assertThat(names).isEqualTo(expected);
  }

  @Test
  void v1ToolRecordsReadAsTheToolsTheyWereWrittenFrom() {
    try (KubernetesToolRepository tools = new KubernetesToolRepository(cluster)) {
      assertThat(tools.versions(GoldenRecords.TOOL)).containsExactlyElementsOf(GoldenRecords.tools().values());
    }
  }

  @Test
  void v1InstanceRecordsReadAsTheInstancesTheyWereWrittenFrom() {
    try (KubernetesInstanceRepository instances = new KubernetesInstanceRepository(cluster)) {
      for (Map.Entry<String, Instance> golden : GoldenRecords.instances().entrySet()) {
        Instance expected = golden.getValue();
        assertThat(instances.find(expected.id())).as(golden.getKey()).contains(expected);
        expected.idempotencyKey().ifPresent(
            key -> assertThat(instances.findByIdempotencyKey(key.value())).as(golden.getKey()).contains(expected));
      }
    }
  }

  private static Stream<Path> fixtureStream(String version) {
    try {
      Path dir = Path.of(GoldenRecordsTest.class.getResource("golden/" + version).toURI());
      return Files.list(dir).filter(p -> p.toString().endsWith(".yaml")).sorted();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Iterable<Path> fixtures(String version) {
    try (Stream<Path> paths = fixtureStream(version)) {
      return paths.toList();
    }
  }

  private static String read(Path fixture) {
    try {
      return Files.readString(fixture);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
