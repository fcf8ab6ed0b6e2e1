package dev.toolrun.adapter.http.mapping;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;

/**
 * The adapter's only JSON mapper and the three things it does with it.
 *
 * <p>A Jackson 3 {@link JsonMapper} is immutable once built, so one shared instance is safe; it is
 * configured here and nowhere else.
 */
public final class JsonCodec {
  /** The media type of what {@link #write} writes. */
  public static final String MEDIA_TYPE = "application/json; charset=utf-8";

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          // Jackson 3 ignores unknown properties by default; the contract forbids them, and a
          // typo in a field name must not silently fall back to a default.
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          // Parameters keep every number exactly, so no float ever goes through a double.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          // A field given twice is refused, never resolved to its last value. StrictJson names it
          // for the client before the body gets here; this holds wherever else JSON is read.
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .changeDefaultPropertyInclusion(
              inclusion -> inclusion.withValueInclusion(JsonInclude.Include.NON_ABSENT))
          // The same text as Jackson's own, written faster (see InstantText).
          .addModule(new SimpleModule("instants").addSerializer(Instant.class, new InstantText()))
          .build();

  private JsonCodec() {}

  /**
   * Reads {@code json} as a {@code type}.
   *
   * @throws tools.jackson.core.JacksonException when it is not JSON or does not fit the type
   */
  public static <T> T read(byte[] json, Class<T> type) {
    return MAPPER.readValue(json, type);
  }

  /** Parses JSON text into a tree. */
  static JsonNode tree(String json) {
    return MAPPER.readTree(json);
  }

  /** Writes {@code value} as UTF-8 JSON. */
  public static byte[] write(Object value) {
    return MAPPER.writeValueAsBytes(value);
  }
}
