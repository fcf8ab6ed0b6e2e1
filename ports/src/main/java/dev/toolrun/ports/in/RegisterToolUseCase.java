package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;

/** Registers a tool, or a new version of it when its definition changed. */
public interface RegisterToolUseCase {

  /**
   * Registers {@code command}'s tool; registering an unchanged definition again changes nothing.
   */
  Registration register(RegisterToolCommand command);

  /** The tool to register. */
  record RegisterToolCommand(ToolName name, String description, ToolSpec spec) {
    public RegisterToolCommand {
      requireNonNull(name, "name is null");
      requireNonNull(description, "description is null");
      requireNonNull(spec, "spec is null");
    }
  }

  /**
   * The outcome of a registration.
   *
   * @param tool the latest version after the registration
   * @param created whether a new version was created (false when the definition was unchanged)
   */
  record Registration(Tool tool, boolean created) {
    public Registration {
      requireNonNull(tool, "tool is null");
    }
  }
}
