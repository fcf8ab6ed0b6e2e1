package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The non-sensitive inputs of one instance: a JSON object held as plain Java values, so the domain
 * needs no JSON library.
 *
 * <p>Values are {@link String}, {@link Boolean}, {@link BigDecimal} (every number is normalised to
 * it), {@link List} and {@link Map} with string keys, nested at most {@value #MAX_DEPTH} deep. JSON
 * {@code null} is not allowed: leave the parameter out instead.
 */
public record Parameters(Map<String, Object> values) {
  public static final Parameters NONE = new Parameters(Map.of());
  public static final int MAX_DEPTH = 32;

  public Parameters {
    requireNonNull(values, "values is null");
    values = normaliseObject(values, "", 1);
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
    if (value instanceof String || value instanceof Boolean || value instanceof BigDecimal) {
      return value;
    }
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger big) {
      return new BigDecimal(big);
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw ValidationException.of(path, "must be a finite number");
      }
      return BigDecimal.valueOf(d);
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
      return Collections.unmodifiableList(copy);
    }
    throw ValidationException.of(
        path, "has unsupported type %s".formatted(value.getClass().getSimpleName()));
  }

  private static void checkDepth(String path, int depth) {
    if (depth > MAX_DEPTH) {
      throw ValidationException.of(path, "nests deeper than %d levels".formatted(MAX_DEPTH));
    }
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }
}
