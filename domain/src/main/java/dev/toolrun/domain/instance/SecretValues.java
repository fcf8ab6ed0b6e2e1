package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import java.util.Collections;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Secret inputs given at launch, by name. They are handed to the runtime and never stored in an
 * instance, written to a log or echoed back; {@link #toString()} shows names only.
 */
public final class SecretValues {
  public static final SecretValues NONE = new SecretValues(new TreeMap<>());
  public static final int MAX_VALUE_BYTES = 64 * 1024;

  private final SortedMap<String, String> values;

  public SecretValues(java.util.Map<String, String> values) {
    requireNonNull(values, "values is null");
    var copy = new TreeMap<String, String>();
    values.forEach(
        (name, value) -> {
          requireNonNull(name, "secret name is null");
          if (value == null) {
            throw ValidationException.of("secrets." + name, "must not be null");
          }
          if (value.length() > MAX_VALUE_BYTES) {
            throw ValidationException.of(
                "secrets." + name, "must be at most %d characters".formatted(MAX_VALUE_BYTES));
          }
          copy.put(name, value);
        });
    this.values = Collections.unmodifiableSortedMap(copy);
  }

  /** The names of the secrets, in order. */
  public SortedSet<String> names() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(values.keySet()));
  }

  /** The secret values by name; to be handed to the runtime only. */
  public SortedMap<String, String> reveal() {
    return values;
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretValues other && values.equals(other.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  @Override
  public String toString() {
    return "SecretValues" + values.keySet();
  }
}
