package dev.toolrun.adapter.http.mapping;

import dev.toolrun.adapter.http.dto.CapabilitiesResponse;
import dev.toolrun.ports.in.DescribeRuntimeUseCase.RuntimeDescription;
import dev.toolrun.ports.out.PoolStatus;
import dev.toolrun.ports.out.RuntimeCapabilities;
import dev.toolrun.ports.out.RuntimeCapabilities.Capability;

/** Maps the runtime's description to JSON. */
public final class RuntimeMapper {
  private RuntimeMapper() {}

  public static CapabilitiesResponse toResponse(RuntimeDescription description) {
    RuntimeCapabilities c = description.capabilities();
    return new CapabilitiesResponse(
        c.name(),
        c.has(Capability.SCALING),
        c.has(Capability.HEALTH_CHECKS),
        c.has(Capability.METRICS),
        c.has(Capability.HOT_RELOAD),
        c.has(Capability.PERSISTENT_STORAGE),
        c.has(Capability.NETWORK_ISOLATION),
        c.has(Capability.RESTRICTED_POD_SECURITY),
        c.protocols().stream().map(WireNames::of).sorted().toList(),
        description.maxConcurrentServices(),
        description.maxConcurrentTasks(),
        description.pools().stream().map(RuntimeMapper::toResponse).toList());
  }

  public static CapabilitiesResponse.PoolDto toResponse(PoolStatus p) {
    return new CapabilitiesResponse.PoolDto(
        p.tool().value(),
        p.toolVersion(),
        p.size(),
        p.ready(),
        p.starting(),
        p.claimed(),
        p.misses(),
        p.hitRatio());
  }
}
