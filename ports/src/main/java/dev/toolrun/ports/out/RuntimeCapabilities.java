package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.Protocol;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a workload runtime can do, so clients know before they launch.
 *
 * @param name the runtime's name, e.g. {@code kubernetes}
 * @param scaling whether one run may use several pods (parallelism and completions)
 * @param healthChecks whether service instances are health-checked
 * @param metrics whether the runtime reports resource usage
 * @param hotReload whether a running instance can take a new tool version without a restart
 * @param persistentStorage whether persistent volume claims can be mounted
 * @param networkIsolation whether service instances can be shielded by a network policy
 * @param restrictedPodSecurity whether workloads must meet the "restricted" Pod Security Standard
 *     (tools whose security settings break it are refused, as their pods would never be admitted)
 * @param protocols the protocols service instances may speak
 */
public record RuntimeCapabilities(
    String name,
    boolean scaling,
    boolean healthChecks,
    boolean metrics,
    boolean hotReload,
    boolean persistentStorage,
    boolean networkIsolation,
    boolean restrictedPodSecurity,
    Set<Protocol> protocols) {

  public RuntimeCapabilities {
    requireNonNull(name, "name is null");
    requireNonNull(protocols, "protocols is null");
    protocols =
        protocols.isEmpty()
            ? Set.of()
            : Collections.unmodifiableSet(EnumSet.copyOf(protocols));
  }
}
