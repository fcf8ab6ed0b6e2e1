package dev.toolrun.adapter.k8s.run;

import dev.toolrun.domain.instance.ToolResult;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a tool's result from its termination message: a JSON document is kept as it is (compacted);
 * any other text becomes a JSON string, so a result is always valid JSON.
 */
public final class ResultReader {
  private final JsonMapper json = JsonMapper.builder().build();

  /** The result in {@code terminationMessage}; empty when the tool wrote none. */
  Optional<ToolResult> read(Optional<String> terminationMessage) {
    return terminationMessage
        .map(String::strip)
        .filter(m -> !m.isEmpty())
        .map(m -> new ToolResult(asJson(m)));
  }

  private String asJson(String text) {
    try {
      JsonNode node = json.readTree(text);
      if (node != null && !node.isMissingNode()) {
        return json.writeValueAsString(node);
      }
    } catch (JacksonException notJson) {
      // Falls through: plain text is kept as a JSON string.
    }
    return json.writeValueAsString(text);
  }
}
