package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

/**
 * One broken rule: the path of the offending field (e.g. {@code spec.resources.cpu.limit}) and what
 * is wrong with it.
 */
public record Violation(String field, String message) {
  public Violation {
    requireNonNull(field, "field is null");
    requireNonNull(message, "message is null");
  }

  /** This violation with {@code prefix} put in front of its field path. */
  public Violation under(String prefix) {
    if (prefix.isEmpty()) {
      return this;
    }
    return new Violation(field.isEmpty() ? prefix : prefix + "." + field, message);
  }

  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
