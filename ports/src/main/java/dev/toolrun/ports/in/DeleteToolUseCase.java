package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.ToolName;

/**
 * Removes a tool and all its versions. Finished instances keep their records; a tool with active
 * instances cannot be removed until they end.
 */
public interface DeleteToolUseCase {

  /**
   * Deletes the tool.
   *
   * @throws dev.toolrun.domain.error.ToolNotFoundException when there is no such tool
   * @throws dev.toolrun.domain.error.ConflictException while instances of it are active
   */
  void delete(DeleteToolCommand command);

  /** Which tool. */
  record DeleteToolCommand(ToolName name) {
    public DeleteToolCommand {
      requireNonNull(name, "name is null");
    }
  }
}
