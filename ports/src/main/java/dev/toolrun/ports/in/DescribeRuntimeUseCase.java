package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.ports.out.PoolStatus;
import dev.toolrun.ports.out.RuntimeCapabilities;
import java.util.List;

/** Describes the active runtime and the capacity toolrun grants it. */
public interface DescribeRuntimeUseCase {

  /** The description. */
  RuntimeDescription describe();

  /**
   * The runtime's capabilities and toolrun's admission limits.
   *
   * @param maxConcurrentServices service instances that may be active at once; more wait in line
   * @param maxConcurrentTasks task instances that may be active at once; more wait in line
   * @param pools the warm pools the runtime keeps
   */
  record RuntimeDescription(
      RuntimeCapabilities capabilities,
      int maxConcurrentServices,
      int maxConcurrentTasks,
      List<PoolStatus> pools) {
    public RuntimeDescription {
      requireNonNull(capabilities, "capabilities is null");
      pools = List.copyOf(requireNonNull(pools, "pools is null"));
    }
  }
}
