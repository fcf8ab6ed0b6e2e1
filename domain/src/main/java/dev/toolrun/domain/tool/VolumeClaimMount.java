package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violations;

/** An existing PersistentVolumeClaim mounted into the instance's container at {@code mountPath}. */
public record VolumeClaimMount(String claimName, String mountPath, boolean readOnly) {
  /** toolrun mounts its own inputs below this path; user volumes may not shadow them. */
  public static final String RESERVED_PATH = "/toolrun";

  public VolumeClaimMount {
    requireNonNull(claimName, "claimName is null");
    requireNonNull(mountPath, "mountPath is null");
    var violations = new Violations();
    violations.check(
        !LabelNames.isDnsSubdomain(claimName),
        "claimName",
        "'%s' is not a valid PersistentVolumeClaim name".formatted(ToolName.abbreviate(claimName)));
    violations.check(
        !mountPath.startsWith("/") || mountPath.contains("..") || mountPath.contains(":"),
        "mountPath",
        "must be an absolute path without '..' or ':'");
    violations.check(
        mountPath.equals("/")
            || mountPath.equals("/tmp")
            || mountPath.equals(RESERVED_PATH)
            || mountPath.startsWith(RESERVED_PATH + "/"),
        "mountPath",
        "'%s' is reserved".formatted(ToolName.abbreviate(mountPath)));
    violations.throwIfAny();
  }
}
