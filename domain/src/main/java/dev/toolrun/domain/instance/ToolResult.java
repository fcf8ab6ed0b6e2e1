package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violation;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The structured result a task produced: a JSON document as text. The runtime adapter that captured
 * it guarantees it is well-formed JSON.
 *
 * @param violations how the result breaks its tool's output schema, each with a JSON pointer into
 *     the result as its field; empty when it matches, or when the tool declares no output schema. A
 *     result that breaks the schema is kept: the run happened, and its output is what it is.
 */
public record ToolResult(String json, List<Violation> violations) {
  /** Keeps instance records small; a runtime may allow less (Kubernetes: 4096 bytes). */
  public static final int MAX_BYTES = 64 * 1024;

  /** Bounds the record of a result that breaks its schema in many places; the first ones tell. */
  public static final int MAX_VIOLATIONS = 20;

  public ToolResult {
    requireNonNull(json, "json is null");
    if (json.isBlank()) {
      throw new IllegalArgumentException("a result must not be empty");
    }
    if (json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new IllegalArgumentException("a result must be at most %d bytes".formatted(MAX_BYTES));
    }
    violations = List.copyOf(requireNonNull(violations, "violations is null"));
    if (violations.size() > MAX_VIOLATIONS) {
      throw new IllegalArgumentException(
          "a result keeps at most %d violations".formatted(MAX_VIOLATIONS));
    }
  }

  /** A result as the runtime captured it, not yet checked against any schema. */
  public ToolResult(String json) {
    this(json, List.of());
  }

  /** This result, flagged with how it breaks its tool's output schema (at most the first few). */
  public ToolResult flagged(List<Violation> found) {
    return new ToolResult(
        json, found.size() > MAX_VIOLATIONS ? found.subList(0, MAX_VIOLATIONS) : found);
  }

  /** Whether it matches its tool's output schema (or the tool declares none). */
  public boolean conforms() {
    return violations.isEmpty();
  }
}
