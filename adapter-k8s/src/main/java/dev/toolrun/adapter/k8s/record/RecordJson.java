package dev.toolrun.adapter.k8s.record;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON text of stored documents ({@link StoredTool}, {@link StoredInstance}), and the schema
 * versions they are read in. Jackson sees only these storage documents, never a domain type.
 *
 * <p>Every document written carries {@value #SCHEMA_VERSION}. A document without a version was
 * written before versions were recorded (toolrun 2fb5d17 and earlier) and is version 1, whose shape
 * is today's. A document of a newer version than this toolrun knows is refused rather than half
 * read. When the shape changes, raise {@link #SCHEMA_VERSION} and add the step that turns a
 * document of the version before into the new one in {@link #upgrade}, so that every older record
 * is still read (docs/architecture.md, "Records").
 */
final class RecordJson {
  /** The version of the storage format this toolrun writes. */
  static final int SCHEMA_VERSION = 1;

  static final String VERSION_FIELD = "schemaVersion";

  private static final JsonMapper JSON =
      JsonMapper.builder()
          // Parameters keep every number exactly: nothing goes through a double.
          .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .changeDefaultPropertyInclusion(
              inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_NULL))
          .build();

  private RecordJson() {}

  static String write(Object document) {
    return JSON.writeValueAsString(document);
  }

  /** {@code document} as the JSON object it is written as, for a custom resource to hold. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> toMap(Object document) {
    return JSON.readValue(write(document), Map.class);
  }

  /** The JSON object that {@code json} holds, its numbers exactly as written. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(String json) {
    return JSON.readValue(json, Map.class);
  }

  /**
   * The document of {@code type} that {@code object} (a custom resource's JSON object) holds,
   * upgraded as {@link #read(String, Class)} does.
   */
  static <T> T fromMap(Map<String, Object> object, Class<T> type) {
    return read(write(object), type);
  }

  /**
   * The document of {@code type} that {@code json} holds, upgraded to {@value #SCHEMA_VERSION}.
   *
   * @throws IllegalArgumentException when it is no such document, or one of a newer version
   */
  static <T> T read(String json, Class<T> type) {
    if (json == null) {
      throw new IllegalArgumentException("the " + type.getSimpleName() + " document is missing");
    }
    try {
      JsonNode document = JSON.readTree(json);
      if (!document.isObject()) {
        throw new IllegalArgumentException("a stored document must be a JSON object");
      }
      return JSON.treeToValue(upgrade(document, version(document)), type);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(
          "not a stored " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
    }
  }

  private static int version(JsonNode document) {
    JsonNode version = document.get(VERSION_FIELD);
    if (version == null || version.isNull()) {
      return 1;
    }
    if (!version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() < 1) {
      throw new IllegalArgumentException("'" + version + "' is no schema version");
    }
    if (version.intValue() > SCHEMA_VERSION) {
      throw new IllegalArgumentException(
          "written by a newer toolrun (schema version %d; this one reads up to %d)"
              .formatted(version.intValue(), SCHEMA_VERSION));
    }
    return version.intValue();
  }

  /**
   * {@code document}, written in schema version {@code version}, in today's shape. Version 1 is
   * today's shape; a version 2 adds its step here ({@code if (version < 2) { ...rename or move
   * fields of the tree... }}).
   */
  private static JsonNode upgrade(JsonNode document, int version) {
    return document;
  }
}
