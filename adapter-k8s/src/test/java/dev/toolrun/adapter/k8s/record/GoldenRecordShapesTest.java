package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.tool.Tool;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Today's records are written in the shape of the golden v1 fixtures (schema version 1), with the
 * version added: the same names, labels, data keys and documents as toolrun 2fb5d17 wrote for the
 * same tools and instances (and as toolrun wrote the typed ones when schemas were added).
 */
class GoldenRecordShapesTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Optional status fields added within schema version 1 after most fixtures were written: a
   * fixture without one was written before it existed (and is read without it, by
   * GoldenRecordsTest); a fixture with one ({@code instance-cancelled-log-incomplete}) pins its
   * shape.
   */
  private static final List<String> ADDED_WITHIN_V1 = List.of("log");

  @Test
  void everyV1FixtureIsOneOfTheGoldenRecords() {
    TreeSet<String> names = new TreeSet<>();
    GoldenRecords.fixtures("v1")
        .forEach(f -> names.add(f.getFileName().toString().replace(".yaml", "")));
    TreeSet<String> expected = new TreeSet<>(GoldenRecords.tools().keySet());
    expected.addAll(GoldenRecords.instances().keySet());

    assertThat(names).isEqualTo(expected);
  }

  @Test
  void toolsAreWrittenTodayInTheV1ShapeWithItsVersion() {
    for (Map.Entry<String, Tool> golden : GoldenRecords.tools().entrySet()) {
      ConfigMap v1 = GoldenRecords.fixture("v1", golden.getKey());
      ConfigMap today = ToolConfigMaps.LAYOUT.encode(golden.getValue(), toolLabels());

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
      ConfigMap v1 = GoldenRecords.fixture("v1", golden.getKey());
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

  /**
   * {@code today} is the {@code v1} document plus the schema version it was written in (which the
   * fixtures written before versions were recorded lack), and plus the optional fields added within
   * version 1 after the fixture was written ({@link #ADDED_WITHIN_V1}).
   */
  private static void assertSameShape(String fixture, String today, String v1) {
    ObjectNode written = (ObjectNode) JSON.readTree(today);
    assertThat(written.get("schemaVersion").intValue()).as(fixture).isEqualTo(1);
    written.remove("schemaVersion");
    ObjectNode stored = (ObjectNode) JSON.readTree(v1);
    for (String added : ADDED_WITHIN_V1) {
      if (!stored.has(added)) {
        written.remove(added);
      }
    }
    if (stored.has("schemaVersion")) {
      assertThat(stored.get("schemaVersion").intValue()).as(fixture).isEqualTo(1);
      stored.remove("schemaVersion");
    }
    assertThat(written).as(fixture).isEqualTo(stored);
  }
}
