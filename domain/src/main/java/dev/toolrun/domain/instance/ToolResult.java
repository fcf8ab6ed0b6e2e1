package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;

/**
 * The structured result a task produced: a JSON document as text. The runtime adapter that captured
 * it guarantees it is well-formed JSON.
 */
public record ToolResult(String json) {
  /** Keeps instance records small; a runtime may allow less (Kubernetes: 4096 bytes). */
  public static final int MAX_BYTES = 64 * 1024;

  public ToolResult {
    requireNonNull(json, "json is null");
    if (json.isBlank()) {
      throw new IllegalArgumentException("a result must not be empty");
    }
    if (json.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new IllegalArgumentException("a result must be at most %d bytes".formatted(MAX_BYTES));
    }
  }
}
