package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

/**
 * One broken rule: the path of the offending field (e.g. {@code spec.resources.cpu.limit}) and what
 * is wrong with it.
 *
 * <p>Inside a free-form JSON document (a tool's schemas, an instance's parameters or result) the
 * path goes on as a JSON pointer (RFC 6901): {@code parameters/name}, {@code
 * spec.inputSchema/properties/n/minimum}. A violation found by checking a document alone has just
 * the pointer as its field ({@code /name}, or {@code ""} for the document itself), and {@link
 * #inside} places it in the request.
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

  /**
   * This violation, whose field is a JSON pointer into a document, placed at the document's own
   * path {@code documentField}: {@code /name} inside {@code parameters} is {@code parameters/name}.
   */
  public Violation inside(String documentField) {
    return new Violation(documentField + field, message);
  }

  /**
   * {@code key} as one token of a JSON pointer: {@code ~} becomes {@code ~0}, {@code /} {@code ~1}.
   */
  public static String pointerToken(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  @Override
  public String toString() {
    return field.isEmpty() ? message : field + ": " + message;
  }
}
