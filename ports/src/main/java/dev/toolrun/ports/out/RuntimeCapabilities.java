package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.Protocol;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a workload runtime can do, so clients know before they launch: the capabilities it has, by
 * name, and the protocols its service instances may speak. For example:
 *
 * <pre>{@code
 * new RuntimeCapabilities(
 *     "in-memory", EnumSet.of(Capability.SCALING, Capability.HEALTH_CHECKS), Set.of(Protocol.HTTP))
 * }</pre>
 *
 * @param name the runtime's name, e.g. {@code kubernetes}
 * @param capabilities what it can do; anything not in the set it cannot
 * @param protocols the protocols service instances may speak
 */
public record RuntimeCapabilities(
    String name, Set<Capability> capabilities, Set<Protocol> protocols) {

  /** One thing a runtime may be able to do. */
  public enum Capability {
    /** One run may use several pods (parallelism and completions). */
    SCALING,
    /** Service instances are health-checked. */
    HEALTH_CHECKS,
    /** The runtime reports resource usage. */
    METRICS,
    /** A running instance can take a new tool version without a restart. */
    HOT_RELOAD,
    /** Persistent volume claims can be mounted. */
    PERSISTENT_STORAGE,
    /** Service instances can be shielded by a network policy. */
    NETWORK_ISOLATION,
    /**
     * Workloads must meet the "restricted" Pod Security Standard: tools whose security settings
     * break it are refused, as their pods would never be admitted.
     */
    RESTRICTED_POD_SECURITY
  }

  public RuntimeCapabilities {
    requireNonNull(name, "name is null");
    capabilities =
        immutableCopy(requireNonNull(capabilities, "capabilities is null"), Capability.class);
    protocols = immutableCopy(requireNonNull(protocols, "protocols is null"), Protocol.class);
  }

  /** Whether the runtime can do {@code capability}. */
  public boolean has(Capability capability) {
    return capabilities.contains(requireNonNull(capability, "capability is null"));
  }

  /** These capabilities, with {@code capability} added when {@code present}, else removed. */
  public RuntimeCapabilities with(Capability capability, boolean present) {
    EnumSet<Capability> changed = EnumSet.noneOf(Capability.class);
    changed.addAll(capabilities);
    if (present) {
      changed.add(capability);
    } else {
      changed.remove(capability);
    }
    return new RuntimeCapabilities(name, changed, protocols);
  }

  private static <E extends Enum<E>> Set<E> immutableCopy(Set<E> values, Class<E> type) {
    EnumSet<E> copy = EnumSet.noneOf(type);
    copy.addAll(values);
    return Collections.unmodifiableSet(copy);
  }
}
