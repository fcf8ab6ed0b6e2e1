package dev.toolrun.ports.out;

import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import java.util.List;
import java.util.Optional;

/** Keeps every registered version of every tool. Implementations are thread-safe. */
public interface ToolRepository {

  /**
   * Stores a new version of a tool.
   *
   * @throws dev.toolrun.domain.error.ConflictException when that version of that tool exists, or
   *     when it does not directly follow the latest stored version
   */
  void add(Tool tool);

  /** Every stored version of the tool called {@code name}, oldest first; empty if there is none. */
  List<Tool> versions(ToolName name);

  /** The latest version of each tool, ordered by name, keyed by name for paging. */
  Page<Tool> listLatest(PageRequest page);

  /**
   * Removes every version of the tool called {@code name}.
   *
   * @return whether anything was removed
   */
  boolean remove(ToolName name);

  /** The latest version of the tool called {@code name}. */
  default Optional<Tool> latest(ToolName name) {
    List<Tool> all = versions(name);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }
}
