package dev.toolrun.adapter.k8s.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Keeps the Tool custom resource's spec schema (deploy/crds/tool.yaml) in step with the REST API's
 * tool {@code Spec} (adapter-http's openapi.yaml): a Tool applied with kubectl is registered as
 * {@code PUT /v1/tools/{name}} would be, so what one side takes the other must take too, and a
 * field added to one side only fails here.
 *
 * <p>Both schemas are brought to one canonical shape, in which every keyword counts (types,
 * formats, enums, required fields, limits) except the structural differences allowed below, each
 * for a reason of Kubernetes':
 *
 * <ul>
 *   <li>{@code description}: prose, worded for each reader;
 *   <li>{@code nullable: true} on the CRD's strings: Kubernetes 1.20 refuses an empty string
 *       otherwise (tool.yaml's header comment);
 *   <li>{@code additionalProperties: false} in openapi.yaml: a structural schema may not say it,
 *       and the API server prunes unknown fields instead, so an object with properties is closed on
 *       both sides;
 *   <li>{@code additionalProperties: true} in openapi.yaml is {@code
 *       x-kubernetes-preserve-unknown-fields: true} in the CRD (the free-form JSON Schemas);
 *   <li>{@code $ref}s in openapi.yaml, which a CRD cannot have, are followed;
 *   <li>the CRD's spec also holds {@code description}, which a PUT's body holds beside its spec: it
 *       must be the body's {@code description}.
 * </ul>
 */
class ToolSchemaSyncTest {
  private static final Set<String> IGNORED = Set.of("description", "nullable");

  @Test
  void theToolResourceTakesTheRestApisToolSpec() throws IOException {
    Map<String, Object> openApi =
        yaml(repositoryRoot().resolve("adapter-http/src/main/resources/openapi.yaml"));
    Map<String, Object> schemas = map(map(openApi.get("components")).get("schemas"));
    Map<String, Object> crd = yaml(repositoryRoot().resolve("deploy/crds/tool.yaml"));
    Map<String, Object> crdSpec =
        map(
            map(map(map(map(((List<?>) map(crd.get("spec")).get("versions")).get(0)).get("schema"))
                        .get("openAPIV3Schema"))
                    .get("properties"))
                .get("spec"));

    Map<String, Object> rest = canonical(schemas.get("Spec"), schemas);
    Map<String, Object> resource = canonical(crdSpec, schemas);
    Map<String, Object> resourceProperties = map(resource.get("properties"));
    Object description = resourceProperties.remove("description");

    assertThat(description)
        .as("the CRD spec's description is a PUT body's")
        .isEqualTo(
            map(canonical(schemas.get("RegisterToolRequest"), schemas).get("properties"))
                .get("description"));
    assertThat(differences("spec", rest, resource))
        .as("openapi.yaml's Spec against deploy/crds/tool.yaml's spec")
        .isEmpty();
  }

  @Test
  void aFieldOnOneSideOnlyIsADifference() {
    Map<String, Object> rest =
        Map.of("type", "object", "properties", Map.of("mode", Map.of("type", "string")));
    Map<String, Object> resource =
        Map.of(
            "type",
            "object",
            "properties",
            Map.of("mode", Map.of("type", "string"), "priority", Map.of("type", "integer")));

    assertThat(differences("spec", canonical(rest, Map.of()), canonical(resource, Map.of())))
        .containsExactly("spec.properties.priority: only in deploy/crds/tool.yaml");
  }

  /**
   * {@code schema} in the shape both sides share, its {@code $ref}s into {@code schemas} followed.
   */
  private static Map<String, Object> canonical(Object schema, Map<String, Object> schemas) {
    Map<String, Object> given = map(schema);
    Object ref = given.get("$ref");
    if (ref != null) {
      String name = ((String) ref).substring("#/components/schemas/".length());
      return canonical(schemas.get(name), schemas);
    }
    Map<String, Object> shape = new TreeMap<>();
    for (Map.Entry<String, Object> e : given.entrySet()) {
      String key = e.getKey();
      Object value = e.getValue();
      if (IGNORED.contains(key)) {
        continue;
      }
      switch (key) {
        case "properties" -> {
          Map<String, Object> properties = new TreeMap<>();
          map(value).forEach((name, p) -> properties.put(name, canonical(p, schemas)));
          shape.put(key, properties);
        }
        case "items" -> shape.put(key, canonical(value, schemas));
        case "additionalProperties" -> {
          if (value instanceof Map<?, ?>) {
            shape.put(key, canonical(value, schemas));
          } else if (Boolean.TRUE.equals(value)) {
            shape.put("freeForm", true);
          }
          // false: closed, as a CRD's object with properties is.
        }
        case "x-kubernetes-preserve-unknown-fields" -> shape.put("freeForm", value);
        case "required" -> shape.put(key, new TreeSet<>((List<?>) value).toString());
        default -> shape.put(key, String.valueOf(value));
      }
    }
    return shape;
  }

  /** Where {@code rest} and {@code resource} differ, each with its path. */
  private static List<String> differences(String path, Object rest, Object resource) {
    List<String> found = new ArrayList<>();
    if (rest instanceof Map<?, ?> r && resource instanceof Map<?, ?> c) {
      Set<Object> keys = new TreeSet<>();
      keys.addAll(r.keySet());
      keys.addAll(c.keySet());
      for (Object key : keys) {
        String at = path + "." + key;
        if (!c.containsKey(key)) {
          found.add(at + ": only in openapi.yaml");
        } else if (!r.containsKey(key)) {
          found.add(at + ": only in deploy/crds/tool.yaml");
        } else {
          found.addAll(differences(at, r.get(key), c.get(key)));
        }
      }
    } else if (!rest.equals(resource)) {
      found.add(path + ": " + rest + " in openapi.yaml, " + resource + " in deploy/crds/tool.yaml");
    }
    return found;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> yaml(Path file) throws IOException {
    return new KubernetesSerialization().unmarshal(Files.readString(file), Map.class);
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("deploy/crds/tool.yaml"))) {
      dir = dir.getParent();
    }
    return dir;
  }
}
