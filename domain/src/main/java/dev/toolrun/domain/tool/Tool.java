package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import java.time.Instant;

/**
 * One registered version of a tool. Versions start at 1; registering a changed description or spec
 * under the same name makes the next version, and every instance records the version it ran.
 */
public record Tool(
    ToolName name, int version, String description, ToolSpec spec, Instant registeredAt) {
  public static final int MAX_DESCRIPTION_LENGTH = 4096;

  public Tool {
    requireNonNull(name, "name is null");
    requireNonNull(description, "description is null");
    requireNonNull(spec, "spec is null");
    requireNonNull(registeredAt, "registeredAt is null");
    if (version < 1) {
      throw new IllegalArgumentException("version must be positive, was " + version);
    }
    if (description.length() > MAX_DESCRIPTION_LENGTH) {
      throw ValidationException.of(
          "description", "must be at most %d characters".formatted(MAX_DESCRIPTION_LENGTH));
    }
  }

  /** The first version of a tool. */
  public static Tool first(ToolName name, String description, ToolSpec spec, Instant at) {
    return new Tool(name, 1, description, spec, at);
  }

  /** Whether registering {@code description} and {@code spec} again would change nothing. */
  public boolean isDefinedAs(String description, ToolSpec spec) {
    return this.description.equals(description) && this.spec.equals(spec);
  }

  /** The version that follows this one, with a new definition. */
  public Tool next(String description, ToolSpec spec, Instant at) {
    return new Tool(name, version + 1, description, spec, at);
  }

  public ToolMode mode() {
    return spec.mode();
  }
}
