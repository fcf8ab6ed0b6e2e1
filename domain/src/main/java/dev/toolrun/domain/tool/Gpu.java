package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violations;

/** A number of GPUs of an extended resource such as {@code nvidia.com/gpu}, set as a limit. */
public record Gpu(int count, String resourceName) {
  public static final String DEFAULT_RESOURCE = "nvidia.com/gpu";
  public static final int MAX_COUNT = 64;

  public Gpu {
    requireNonNull(resourceName, "resourceName is null");
    var violations = new Violations();
    violations.check(
        count < 1 || count > MAX_COUNT, "count", "must be between 1 and %d".formatted(MAX_COUNT));
    violations.check(
        !LabelNames.isQualifiedName(resourceName) || !resourceName.contains("/"),
        "resourceName",
        "'%s' is not an extended resource name such as nvidia.com/gpu"
            .formatted(ToolName.abbreviate(resourceName)));
    violations.throwIfAny();
  }
}
