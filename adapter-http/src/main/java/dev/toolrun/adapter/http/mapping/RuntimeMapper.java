package dev.toolrun.adapter.http.mapping;

import dev.toolrun.adapter.http.dto.CapabilitiesResponse;
import dev.toolrun.ports.in.DescribeRuntimeUseCase.RuntimeDescription;
import dev.toolrun.ports.out.RuntimeCapabilities;

/** Maps the runtime's description to JSON. */
public final class RuntimeMapper {
  private RuntimeMapper() {}

  public static CapabilitiesResponse toResponse(RuntimeDescription description) {
    RuntimeCapabilities c = description.capabilities();
    return new CapabilitiesResponse(
        c.name(),
        c.scaling(),
        c.healthChecks(),
        c.metrics(),
        c.hotReload(),
        c.persistentStorage(),
        c.networkIsolation(),
        c.restrictedPodSecurity(),
        c.protocols().stream().map(WireNames::of).sorted().toList(),
        description.maxConcurrentServices(),
        description.maxConcurrentTasks());
  }
}
