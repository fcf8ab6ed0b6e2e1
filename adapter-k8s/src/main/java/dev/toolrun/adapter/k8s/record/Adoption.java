package dev.toolrun.adapter.k8s.record;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A ToolRun written by hand, as it was when toolrun decided to launch it: adopting it makes it the
 * record of the instance launched from it, in one patch that is refused if the ToolRun changed
 * since ({@code resourceVersion}).
 *
 * @param name the ToolRun's name
 * @param resourceVersion the version of it that was read
 * @param finalizers its finalizers then, which the patch keeps beside toolrun's
 */
public record Adoption(String name, String resourceVersion, List<String> finalizers) {
  public Adoption {
    requireNonNull(name, "name is null");
    requireNonNull(resourceVersion, "resourceVersion is null");
    finalizers = List.copyOf(requireNonNull(finalizers, "finalizers is null"));
  }
}
