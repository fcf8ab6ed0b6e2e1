package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.ToolName;

/**
 * Removes a tool and all its versions. Instances already launched keep running and keep their
 * records; no new instance can be launched from it.
 */
public interface DeleteToolUseCase {

  /**
   * Deletes the tool.
   *
   * @throws dev.toolrun.domain.error.ToolNotFoundException when there is no such tool
   */
  void delete(DeleteToolCommand command);

  /** Which tool. */
  record DeleteToolCommand(ToolName name) {
    public DeleteToolCommand {
      requireNonNull(name, "name is null");
    }
  }
}
