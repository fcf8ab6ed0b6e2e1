package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violations;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A workload that runs a container image; {@code command} replaces the image's entrypoint and
 * {@code args} its arguments, each only when non-empty.
 */
public record ContainerImage(String image, List<String> command, List<String> args)
    implements Workload {
  private static final int MAX_IMAGE_LENGTH = 512;
  // registry/path:tag@digest without whitespace; the runtime reports anything it cannot pull.
  private static final Pattern IMAGE_REFERENCE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/:@+-]*");

  public ContainerImage {
    requireNonNull(image, "image is null");
    command = List.copyOf(requireNonNull(command, "command is null"));
    args = List.copyOf(requireNonNull(args, "args is null"));
    var violations = new Violations();
    violations.check(
        image.isEmpty()
            || image.length() > MAX_IMAGE_LENGTH
            || !IMAGE_REFERENCE.matcher(image).matches(),
        "image",
        "'%s' is not a valid image reference".formatted(ToolName.abbreviate(image)));
    violations.check(
        command.stream().anyMatch(String::isEmpty), "command", "must not contain empty strings");
    violations.throwIfAny();
  }

  /** An image run with its own entrypoint and arguments. */
  public static ContainerImage of(String image) {
    return new ContainerImage(image, List.of(), List.of());
  }
}
