package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.json.JsonNumbers;
import dev.toolrun.domain.json.JsonText;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The non-sensitive inputs of one instance: a JSON object, held as its canonical JSON text.
 *
 * <p>Held as text because an instance keeps its parameters for as long as its record lives: a tree
 * of Java objects costs many times the bytes it was sent as (a megabyte of empty arrays took 17 MB
 * of heap), one string costs one byte per character (two when it holds text beyond Latin-1).
 *
 * <p>Canonical: no whitespace, the fields of every object sorted by name, every number as {@link
 * BigDecimal#toString()}, so two launches of the same values hold the same text. As values ({@link
 * #values()}) they are {@link String}, {@link Boolean}, {@link BigDecimal}, {@link List} and {@link
 * Map} with string keys, nested at most {@value #MAX_DEPTH} deep. JSON {@code null} is not allowed:
 * leave the parameter out instead.
 */
public record Parameters(String json) {
  public static final Parameters NONE = new Parameters("{}");
  public static final int MAX_DEPTH = 32;

  /**
   * Parameters of the JSON object {@code json}, made canonical.
   *
   * @throws ValidationException when it is not a JSON object of the values above
   */
  public Parameters {
    requireNonNull(json, "json is null");
    Object parsed = JsonText.parse(json, MAX_DEPTH);
    if (!(parsed instanceof Map<?, ?> object)) {
      throw ValidationException.of("", "must be a JSON object");
    }
    json = JsonText.write(normaliseObject(object, "", 1));
  }

  /**
   * Parameters of {@code values}, as a JSON library or a caller hands them over: any {@link
   * Number}, lists and maps of any kind.
   *
   * @throws ValidationException when they hold a null, an unsupported type or nest too deep
   */
  public Parameters(Map<String, ?> values) {
    this(JsonText.write(normaliseObject(requireNonNull(values, "values is null"), "", 1)));
  }

  /** The parameters as values (see above); parsed anew at each call. */
  public Map<String, Object> values() {
    @SuppressWarnings("unchecked")
    Map<String, Object> values = (Map<String, Object>) JsonText.parse(json, MAX_DEPTH);
    return values;
  }

  public boolean isEmpty() {
    return json.equals("{}");
  }

  /**
   * About the heap the text takes: one byte per character while every character is Latin-1 (the
   * JVM's compact strings), else two.
   */
  public long retainedBytes() {
    long perChar = 1;
    for (int i = 0; i < json.length(); i++) {
      if (json.charAt(i) > 0xFF) {
        perChar = 2;
        break;
      }
    }
    return 40 + perChar * json.length();
  }

  private static Map<String, Object> normaliseObject(Map<?, ?> map, String path, int depth) {
    checkDepth(path, depth);
    Map<String, Object> copy = new TreeMap<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw ValidationException.of(path.isEmpty() ? "parameters" : path, "keys must be strings");
      }
      String child = path.isEmpty() ? key : path + "." + key;
      copy.put(key, normalise(e.getValue(), child, depth + 1));
    }
    return Collections.unmodifiableMap(new LinkedHashMap<>(copy));
  }

  private static Object normalise(Object value, String path, int depth) {
    if (value == null) {
      throw ValidationException.of(path, "must not be null; leave the parameter out instead");
    }
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    BigDecimal number = JsonNumbers.normalise(value, path);
    if (number != null) {
      return number;
    }
    if (value instanceof Map<?, ?> map) {
      return normaliseObject(map, path, depth);
    }
    if (value instanceof List<?> list) {
      checkDepth(path, depth);
      List<Object> copy = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        copy.add(normalise(list.get(i), path + "[" + i + "]", depth + 1));
      }
      return copy;
    }
    throw ValidationException.of(
        path, "has unsupported type %s".formatted(value.getClass().getSimpleName()));
  }

  private static void checkDepth(String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw ValidationException.of(path, "nests deeper than %d levels".formatted(MAX_DEPTH));
    }
  }
}
