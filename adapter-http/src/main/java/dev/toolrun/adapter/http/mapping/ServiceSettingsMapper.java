package dev.toolrun.adapter.http.mapping;

import static dev.toolrun.adapter.http.mapping.Fields.missing;
import static dev.toolrun.adapter.http.mapping.Fields.orElse;

import dev.toolrun.adapter.http.dto.SpecDto.ServiceDto;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.UnhealthyAction;
import java.time.Duration;

/**
 * Maps how a service instance is served and watched (port, protocol, health checks, limits) between
 * its JSON form and {@link ServiceSettings}. Absent settings take the domain's defaults, read from
 * settings built with only a port.
 */
final class ServiceSettingsMapper {
  private static final ServiceSettings DEFAULTS = ServiceSettings.http(1);

  private ServiceSettingsMapper() {}

  /**
   * The settings {@code dto} describes.
   *
   * @throws ValidationException listing every violation, with paths relative to the settings
   */
  static ServiceSettings toDomain(ServiceDto dto) {
    var v = new Violations();
    ServiceSettings d = DEFAULTS;
    Integer port = dto.port() == null ? missing(v, "port") : dto.port();
    Protocol protocol =
        dto.protocol() == null
            ? d.protocol()
            : WireNames.parse(Protocol.class, WireNames::of, dto.protocol(), v, "protocol");
    UnhealthyAction onUnhealthy =
        dto.onUnhealthy() == null
            ? d.onUnhealthy()
            : WireNames.parse(
                UnhealthyAction.class, UnhealthyAction::name, dto.onUnhealthy(), v, "onUnhealthy");
    v.throwIfAny();
    return new ServiceSettings(
        port,
        protocol,
        orElse(dto.healthPath(), d.healthPath()),
        dto.healthIntervalMs() == null
            ? d.healthInterval()
            : Duration.ofMillis(dto.healthIntervalMs()),
        orElse(dto.failureThreshold(), d.failureThreshold()),
        orElse(dto.maxConcurrentRequests(), d.maxConcurrentRequests()),
        dto.requestTimeoutMs() == null
            ? d.requestTimeout()
            : Duration.ofMillis(dto.requestTimeoutMs()),
        dto.startTimeoutSeconds() == null
            ? d.startTimeout()
            : Duration.ofSeconds(dto.startTimeoutSeconds()),
        onUnhealthy,
        orElse(dto.maxRestarts(), d.maxRestarts()),
        orElse(dto.networkIsolation(), d.networkIsolation()));
  }

  /** The JSON form of {@code s}. */
  static ServiceDto toDto(ServiceSettings s) {
    return new ServiceDto(
        s.port(),
        WireNames.of(s.protocol()),
        s.healthPath(),
        s.healthInterval().toMillis(),
        s.failureThreshold(),
        s.maxConcurrentRequests(),
        s.requestTimeout().toMillis(),
        s.startTimeout().toSeconds(),
        s.onUnhealthy().name(),
        s.maxRestarts(),
        s.networkIsolation());
  }
}
