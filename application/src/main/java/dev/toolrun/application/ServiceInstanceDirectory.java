package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.ToolRepository;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What toolrun keeps per live service instance: its settings (from the tool version it runs) and
 * its request gate. Entries are dropped when the instance ends.
 */
final class ServiceInstanceDirectory {
  /** How many requests may wait for a slot, per slot. */
  private static final int WAITING_PER_SLOT = 10;

  private final InstanceRepository instances;
  private final ToolRepository tools;
  private final Map<InstanceId, ServiceSettings> settings = new ConcurrentHashMap<>();
  private final Map<InstanceId, ServiceInstanceRequestGate> gates = new ConcurrentHashMap<>();

  ServiceInstanceDirectory(InstanceRepository instances, ToolRepository tools) {
    this.instances = requireNonNull(instances, "instances is null");
    this.tools = requireNonNull(tools, "tools is null");
  }

  /** The service settings of instance {@code id}; empty for a task or an unknown tool version. */
  Optional<ServiceSettings> settings(InstanceId id) {
    ServiceSettings known = settings.get(id);
    if (known != null) {
      return Optional.of(known);
    }
    Instance instance = instances.find(id).orElseThrow(() -> new InstanceNotFoundException(id));
    Optional<ServiceSettings> found =
        tools.versions(instance.toolName()).stream()
            .filter(t -> t.version() == instance.toolVersion())
            .findFirst()
            .flatMap(t -> t.spec().service());
    found.ifPresent(s -> settings.put(id, s));
    return found;
  }

  /** Remembers the settings of an instance being launched, so no lookup is needed later. */
  void register(InstanceId id, ServiceSettings service) {
    settings.put(id, service);
  }

  /** The request gate of instance {@code id}, sized by {@code service}. */
  ServiceInstanceRequestGate gate(InstanceId id, ServiceSettings service) {
    return gates.computeIfAbsent(
        id,
        key ->
            new ServiceInstanceRequestGate(
                key,
                service.maxConcurrentRequests(),
                service.maxConcurrentRequests() * WAITING_PER_SLOT));
  }

  /** The gate of {@code id} if requests ever went through one. */
  Optional<ServiceInstanceRequestGate> existingGate(InstanceId id) {
    return Optional.ofNullable(gates.get(id));
  }

  /** Forgets instance {@code id}, which ended. */
  void forget(InstanceId id) {
    settings.remove(id);
    ServiceInstanceRequestGate gate = gates.remove(id);
    if (gate != null) {
      gate.close();
    }
  }
}
