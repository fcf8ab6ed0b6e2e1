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
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An upgrade reads every record an older toolrun wrote: the golden fixtures, record ConfigMaps
 * exactly as toolrun 2fb5d17 stored them, are put in a namespace and read by today's repositories,
 * which must yield the very domain objects they were written from. And today's records are written
 * in the same shape (schema version 1), with the version added.
 */
@EnableKubernetesMockClient(crud = true)
class GoldenRecordsTest {
  private static final String NAMESPACE = "golden";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final JsonMapper JSON = JsonMapper.builder().build();

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

  @Test
  void toolsAreWrittenTodayInTheV1ShapeWithItsVersion() {
    for (Map.Entry<String, Tool> golden : GoldenRecords.tools().entrySet()) {
      ConfigMap v1 = fixture("v1", golden.getKey());
      ConfigMap today = KubernetesToolRepository.encode(golden.getValue(), toolLabels());

      assertThat(today.getMetadata().getName()).isEqualTo(v1.getMetadata().getName());
      assertThat(today.getMetadata().getLabels()).isEqualTo(v1.getMetadata().getLabels());
      assertThat(today.getData().keySet()).isEqualTo(v1.getData().keySet());
      assertSameShape(
          golden.getKey(), today.getData().get("tool.json"), v1.getData().get("tool.json"));
    }
  }

  @Test
  void instancesAreWrittenTodayInTheV1ShapeWithItsVersion() {
    for (Map.Entry<String, Instance> golden : GoldenRecords.instances().entrySet()) {
      Instance instance = golden.getValue();
      ConfigMap v1 = fixture("v1", golden.getKey());
      ConfigMap created = InstanceConfigMaps.newRecord(instance, instanceLabels());
      Map<String, String> labels = new TreeMap<>(created.getMetadata().getLabels());
      labels.put(InstanceConfigMaps.STATE_LABEL, instance.state().name());

      assertThat(created.getMetadata().getName())
          .as(golden.getKey())
          .isEqualTo(v1.getMetadata().getName());
      assertThat(labels).as(golden.getKey()).isEqualTo(v1.getMetadata().getLabels());
      assertSameShape(
          golden.getKey(), created.getData().get("launch.json"), v1.getData().get("launch.json"));
      String v1Status = v1.getData().get("status.json");
      if (v1Status != null) {
        JsonNode patch = JSON.readTree(InstanceConfigMaps.statusPatch(instance));
        assertSameShape(golden.getKey(), patch.get("data").get("status.json").asString(), v1Status);
      }
    }
  }

  private static Map<String, String> toolLabels() {
    return Map.of("app.kubernetes.io/managed-by", "toolrun", "toolrun.dev/record", "tool");
  }

  private static Map<String, String> instanceLabels() {
    return Map.of("app.kubernetes.io/managed-by", "toolrun", "toolrun.dev/record", "instance");
  }

  /** {@code today} is the {@code v1} document plus the schema version it was written in. */
  private static void assertSameShape(String fixture, String today, String v1) {
    ObjectNode written = (ObjectNode) JSON.readTree(today);
    assertThat(written.get("schemaVersion").intValue()).as(fixture).isEqualTo(1);
    written.remove("schemaVersion");
    assertThat(written).as(fixture).isEqualTo(JSON.readTree(v1));
  }

  private static ConfigMap fixture(String version, String name) {
    return YAML.unmarshal(read(fixtureStreamDir(version).resolve(name + ".yaml")), ConfigMap.class);
  }

  private static Path fixtureStreamDir(String version) {
    try {
      return Path.of(GoldenRecordsTest.class.getResource("golden/" + version).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Stream<Path> fixtureStream(String version) {
    try {
      return Files.list(fixtureStreamDir(version))
          .filter(p -> p.toString().endsWith(".yaml"))
          .sorted();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
