package dev.toolrun.adapter.http.contract;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** {@code openapi.yaml} read as JSON ({@link ApiContract#parse}): the build's and tests' path. */
final class OpenApiYaml {
  private OpenApiYaml() {}

  static JsonObject parse(byte[] yaml) {
    Object document =
        new Yaml(new SafeConstructor(new LoaderOptions()))
            .load(new String(yaml, StandardCharsets.UTF_8));
    if (!(document instanceof Map<?, ?> map)) {
      throw new IllegalStateException(ApiContract.RESOURCE + " is not a YAML mapping");
    }
    return object(map, "");
  }

  private static JsonObject object(Map<?, ?> map, String path) {
    JsonObject json = new JsonObject();
    map.forEach(
        (key, value) -> {
          if (!(key instanceof String name)) {
            // JSON keys are strings; YAML reads 200: as a number, which the loader would choke on.
            throw new IllegalStateException(
                "%s: key %s at '%s' must be a string; quote it"
                    .formatted(ApiContract.RESOURCE, key, path));
          }
          json.put(name, value(value, path + "/" + name));
        });
    return json;
  }

  private static Object value(Object value, String path) {
    if (value instanceof Map<?, ?> map) {
      return object(map, path);
    }
    if (value instanceof List<?> list) {
      JsonArray array = new JsonArray();
      for (int i = 0; i < list.size(); i++) {
        array.add(value(list.get(i), path + "/" + i));
      }
      return array;
    }
    return value;
  }
}
