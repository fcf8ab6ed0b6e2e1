package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import java.util.Optional;

/** Looks up one version of a tool. */
public interface GetToolUseCase {

  /**
   * The requested version of the tool, or its latest when no version is given.
   *
   * @throws dev.toolrun.domain.error.ToolNotFoundException when there is no such tool or version
   */
  Tool get(GetToolQuery query);

  /** Which tool, and optionally which version. */
  record GetToolQuery(ToolName name, Optional<Integer> version) {
    public GetToolQuery {
      requireNonNull(name, "name is null");
      requireNonNull(version, "version is null");
    }
  }
}
