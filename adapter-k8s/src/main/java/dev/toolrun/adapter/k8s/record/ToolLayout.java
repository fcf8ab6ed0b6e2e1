package dev.toolrun.adapter.k8s.record;

import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.Map;
import java.util.Optional;

/** How a tool version is laid out in its record, one per {@link RecordType}. */
interface ToolLayout<T extends HasMetadata> {
  RecordType<T> type();

  String recordName(ToolName name, int version);

  /** The record of {@code tool}, with {@code labels} (the record labels) and its own. */
  T encode(Tool tool, Map<String, String> labels);

  /**
   * The tool version a record holds.
   *
   * @throws IllegalArgumentException when it holds none that can be read
   */
  Tool decode(T record);

  /**
   * The status a just-registered version's record is given (a JSON merge patch), if its type has a
   * status: one write per registration, none per run.
   */
  Optional<String> registeredStatus(Tool tool);
}
