package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The ToolRun custom resource's schema (deploy/crds/toolrun.yaml) names every field of the instance
 * record's documents: the API server prunes a field its structural schema does not name, silently,
 * so a field added to {@link StoredInstance} alone would be written and never come back (a run's
 * {@code start} did just that until this test).
 */
class ToolRunSchemaKeepsRecordsTest {
  // Launch document field -> spec field, as InstanceResources writes them; the id is the name.
  private static final Map<String, String> SPEC_NAMES =
      Map.of(
          "toolName", "tool",
          "toolVersion", "version",
          "secretNames", "secretInputs",
          "parameters", "parametersJson");

  @Test
  void everyFieldOfTheLaunchDocumentIsInTheSpecSchema() throws IOException {
    List<String> missing = new ArrayList<>();
    for (RecordComponent field : StoredInstance.Launch.class.getRecordComponents()) {
      if (!field.getName().equals("id")) {
        check(
            SPEC_NAMES.getOrDefault(field.getName(), field.getName()),
            field.getGenericType(),
            schema("spec"),
            "spec",
            missing);
      }
    }
    assertThat(missing).as("launch fields the ToolRun schema would prune").isEmpty();
  }

  @Test
  void everyFieldOfTheStatusDocumentIsInTheStatusSchema() throws IOException {
    List<String> missing = new ArrayList<>();
    Map<String, Object> status = schema("status");
    for (RecordComponent field : StoredInstance.Status.class.getRecordComponents()) {
      check(field.getName(), field.getGenericType(), status, "status", missing);
    }
    assertThat(missing).as("status fields the ToolRun schema would prune").isEmpty();
  }

  private static void check(
      String name, Type type, Map<String, Object> object, String path, List<String> missing) {
    Map<String, Object> properties = map(object.get("properties"));
    if (properties == null || !properties.containsKey(name)) {
      missing.add(path + "." + name);
      return;
    }
    Map<String, Object> field = map(properties.get(name));
    if (type instanceof ParameterizedType list && list.getRawType() == List.class) {
      type = list.getActualTypeArguments()[0];
      field = map(field.get("items"));
      path = path + "." + name + "[]";
    } else {
      path = path + "." + name;
    }
    if (type instanceof Class<?> record && record.isRecord()) {
      for (RecordComponent nested : record.getRecordComponents()) {
        check(nested.getName(), nested.getGenericType(), field, path, missing);
      }
    }
  }

  private static Map<String, Object> schema(String part) throws IOException {
    Path crd = repositoryRoot().resolve("deploy/crds/toolrun.yaml");
    Map<String, Object> document =
        new KubernetesSerialization().unmarshal(Files.readString(crd), Map.class);
    Map<String, Object> version = map(((List<?>) map(document.get("spec")).get("versions")).get(0));
    return map(
        map(map(map(version.get("schema")).get("openAPIV3Schema")).get("properties")).get(part));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private static Path repositoryRoot() {
    Path here = Path.of("").toAbsolutePath();
    while (!Files.exists(here.resolve("deploy/crds/toolrun.yaml"))) {
      here = here.getParent();
    }
    return here;
  }
}
