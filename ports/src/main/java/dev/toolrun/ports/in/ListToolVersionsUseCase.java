package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import java.util.List;

/** Lists every registered version of one tool. */
public interface ListToolVersionsUseCase {

  /**
   * The versions of the tool, oldest first.
   *
   * @throws dev.toolrun.domain.error.ToolNotFoundException when there is no such tool
   */
  List<Tool> versions(ListToolVersionsQuery query);

  /** Which tool. */
  record ListToolVersionsQuery(ToolName name) {
    public ListToolVersionsQuery {
      requireNonNull(name, "name is null");
    }
  }
}
