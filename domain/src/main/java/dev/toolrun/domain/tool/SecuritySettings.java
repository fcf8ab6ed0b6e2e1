package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violations;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How much an instance's container may do. {@link #RESTRICTED}, the default, meets the Kubernetes
 * "restricted" Pod Security Standard: non-root user, no privilege escalation, every capability
 * dropped and a read-only root file system.
 */
public record SecuritySettings(
    boolean runAsNonRoot,
    Optional<Long> runAsUser,
    boolean readOnlyRootFilesystem,
    boolean allowPrivilegeEscalation,
    List<String> dropCapabilities,
    List<String> addCapabilities) {

  // Declared before RESTRICTED: static fields initialise in order and the constructor uses it.
  private static final Pattern CAPABILITY = Pattern.compile("[A-Z][A-Z_]*");

  /**
   * The user id of {@code nobody}: images without a USER still start under {@code runAsNonRoot}.
   */
  public static final long NOBODY = 65534L;

  public static final SecuritySettings RESTRICTED =
      new SecuritySettings(true, Optional.of(NOBODY), true, false, List.of("ALL"), List.of());

  public SecuritySettings {
    requireNonNull(runAsUser, "runAsUser is null");
    dropCapabilities = List.copyOf(requireNonNull(dropCapabilities, "dropCapabilities is null"));
    addCapabilities = List.copyOf(requireNonNull(addCapabilities, "addCapabilities is null"));
    var violations = new Violations();
    violations.check(runAsUser.filter(u -> u < 0).isPresent(), "runAsUser", "must not be negative");
    violations.check(
        runAsNonRoot && runAsUser.filter(u -> u == 0).isPresent(),
        "runAsUser",
        "must not be 0 (root) while runAsNonRoot is true");
    for (String c : dropCapabilities) {
      violations.check(
          !CAPABILITY.matcher(c).matches(),
          "dropCapabilities",
          "'%s' is not a capability name such as ALL or NET_RAW".formatted(ToolName.abbreviate(c)));
    }
    for (String c : addCapabilities) {
      violations.check(
          !CAPABILITY.matcher(c).matches(),
          "addCapabilities",
          "'%s' is not a capability name such as NET_BIND_SERVICE"
              .formatted(ToolName.abbreviate(c)));
    }
    violations.throwIfAny();
  }

  /** Whether these settings satisfy the "restricted" Pod Security Standard. */
  public boolean meetsRestrictedStandard() {
    return runAsNonRoot
        && !allowPrivilegeEscalation
        && dropCapabilities.contains("ALL")
        && addCapabilities.stream().allMatch("NET_BIND_SERVICE"::equals);
  }
}
