package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.ToolName;
import java.util.OptionalInt;

/** No tool with the requested name, or no such version of it, is registered. */
public final class ToolNotFoundException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  private final transient ToolName toolName;
  private final transient OptionalInt version;

  public ToolNotFoundException(ToolName toolName) {
    super("tool '%s' is not registered".formatted(requireNonNull(toolName, "toolName is null")));
    this.toolName = toolName;
    this.version = OptionalInt.empty();
  }

  public ToolNotFoundException(ToolName toolName, int version) {
    super(
        "tool '%s' has no version %d"
            .formatted(requireNonNull(toolName, "toolName is null"), version));
    this.toolName = toolName;
    this.version = OptionalInt.of(version);
  }

  public ToolName toolName() {
    return toolName;
  }

  public OptionalInt version() {
    return version;
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.TOOL_NOT_FOUND;
  }
}
