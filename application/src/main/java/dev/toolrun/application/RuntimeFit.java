package dev.toolrun.application;

import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.out.RuntimeCapabilities;
import dev.toolrun.ports.out.RuntimeCapabilities.Capability;

/**
 * Checks that a tool asks only for what the active runtime can do, so it fails at once, not later.
 */
final class RuntimeFit {
  private RuntimeFit() {}

  /**
   * Throws a validation error listing everything in {@code spec} that {@code runtime} cannot
   * honour.
   */
  static void check(ToolSpec spec, RuntimeCapabilities runtime) {
    var violations = new Violations();
    spec.service()
        .ifPresent(
            service -> {
              violations.check(
                  !runtime.protocols().contains(service.protocol()),
                  "spec.service.protocol",
                  "the %s runtime does not support %s; it supports %s"
                      .formatted(runtime.name(), service.protocol(), runtime.protocols()));
              violations.check(
                  service.networkIsolation() && !runtime.has(Capability.NETWORK_ISOLATION),
                  "spec.service.networkIsolation",
                  "the %s runtime cannot isolate instances".formatted(runtime.name()));
            });
    violations.check(
        !spec.parallelism().isSingle() && !runtime.has(Capability.SCALING),
        "spec.parallelism",
        "the %s runtime runs one pod per instance".formatted(runtime.name()));
    violations.check(
        !spec.volumes().isEmpty() && !runtime.has(Capability.PERSISTENT_STORAGE),
        "spec.volumes",
        "the %s runtime has no persistent storage".formatted(runtime.name()));
    violations.check(
        runtime.has(Capability.RESTRICTED_POD_SECURITY)
            && !spec.security().meetsRestrictedStandard(),
        "spec.security",
        ("the %s runtime's namespace enforces the restricted Pod Security Standard, so these pods"
                + " would never be admitted: it needs runAsNonRoot, no privilege escalation, all"
                + " capabilities dropped and none added but NET_BIND_SERVICE")
            .formatted(runtime.name()));
    violations.throwIfAny();
  }
}
