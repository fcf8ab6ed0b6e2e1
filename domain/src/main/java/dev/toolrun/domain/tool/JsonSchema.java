package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.json.JsonNumbers;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A JSON Schema document of the 2020-12 dialect, held as plain Java values so that the domain needs
 * no JSON library (as {@link dev.toolrun.domain.instance.Parameters} holds parameters). Whether it
 * is a valid schema is the {@code SchemaValidator} port's call; this type only bounds its size and
 * shape.
 *
 * <p>Values are {@link String}, {@link Boolean}, {@link BigDecimal} (every number is normalised to
 * it), {@link List}, {@link Map} with string keys, and {@code null} for JSON {@code null} (a schema
 * may need it, as in {@code "const": null}). Key order is kept, since clients show properties in
 * the order given, but two schemas that differ only in key order are equal.
 */
public record JsonSchema(Map<String, Object> document) {
  /** The only dialect toolrun accepts, as {@code $schema} names it. */
  public static final String DIALECT = "https://json-schema.org/draft/2020-12/schema";

  public static final int MAX_DEPTH = 32;

  /**
   * The most characters of JSON a schema may take (counted without whitespace or escapes): enough
   * for a schema of hundreds of properties, small enough for a tool record (a Kubernetes ConfigMap
   * holds at most 1 MiB).
   */
  public static final int MAX_LENGTH = 64 * 1024;

  public JsonSchema {
    requireNonNull(document, "document is null");
    int[] length = {0};
    document = normaliseObject(document, 1, length);
    if (length[0] > MAX_LENGTH) {
      throw ValidationException.of(
          "",
          "must be at most %d characters of JSON, was about %d".formatted(MAX_LENGTH, length[0]));
    }
    Object dialect = document.get("$schema");
    if (document.containsKey("$schema") && !isDialect(dialect)) {
      throw ValidationException.of(
          "",
          "$schema must be %s (the only dialect toolrun supports) or be left out"
              .formatted(DIALECT));
    }
  }

  private static boolean isDialect(Object value) {
    return DIALECT.equals(value) || (DIALECT + "#").equals(value);
  }

  private static Map<String, Object> normaliseObject(Map<?, ?> map, int depth, int[] length) {
    checkDepth(depth);
    Map<String, Object> copy = new LinkedHashMap<>();
    length[0] += 2 + Math.max(0, map.size() - 1);
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (!(e.getKey() instanceof String key)) {
        throw ValidationException.of("", "keys must be strings");
      }
      length[0] += key.length() + 3;
      copy.put(key, normalise(e.getValue(), depth + 1, length));
    }
    return Collections.unmodifiableMap(copy);
  }

  private static Object normalise(Object value, int depth, int[] length) {
    if (value == null) {
      length[0] += 4;
      return null;
    }
    if (value instanceof String text) {
      length[0] += text.length() + 2;
      return text;
    }
    if (value instanceof Boolean) {
      length[0] += 5;
      return value;
    }
    BigDecimal number = JsonNumbers.normalise(value, "");
    if (number != null) {
      length[0] += number.toString().length();
      return number;
    }
    if (value instanceof Map<?, ?> map) {
      return normaliseObject(map, depth, length);
    }
    if (value instanceof List<?> list) {
      checkDepth(depth);
      length[0] += 2 + Math.max(0, list.size() - 1);
      List<Object> copy = new ArrayList<>(list.size());
      for (Object element : list) {
        copy.add(normalise(element, depth + 1, length));
      }
      return Collections.unmodifiableList(copy);
    }
    throw ValidationException.of(
        "", "holds a value of unsupported type %s".formatted(value.getClass().getSimpleName()));
  }

  private static void checkDepth(int depth) {
    if (depth > MAX_DEPTH) {
      throw ValidationException.of("", "nests deeper than %d levels".formatted(MAX_DEPTH));
    }
  }

  /**
   * The types the root declares with {@code "type"} (a name or a list of names); empty when it
   * declares none.
   */
  public Set<String> declaredTypes() {
    Object type = document.get("type");
    Set<String> types = new LinkedHashSet<>();
    if (type instanceof String name) {
      types.add(name);
    } else if (type instanceof List<?> names) {
      names.stream().filter(String.class::isInstance).map(String.class::cast).forEach(types::add);
    }
    return Collections.unmodifiableSet(types);
  }

  /** The property names the root names, under {@code "properties"} or in {@code "required"}. */
  public Set<String> namedProperties() {
    Set<String> names = new LinkedHashSet<>();
    if (document.get("properties") instanceof Map<?, ?> properties) {
      properties.keySet().forEach(key -> names.add((String) key));
    }
    if (document.get("required") instanceof List<?> required) {
      required.stream()
          .filter(String.class::isInstance)
          .map(String.class::cast)
          .forEach(names::add);
    }
    return Collections.unmodifiableSet(names);
  }
}
