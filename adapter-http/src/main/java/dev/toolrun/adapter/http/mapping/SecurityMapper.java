package dev.toolrun.adapter.http.mapping;

import static dev.toolrun.adapter.http.mapping.Fields.orElse;

import dev.toolrun.adapter.http.dto.SpecDto.SecurityDto;
import dev.toolrun.domain.tool.SecuritySettings;
import java.util.Optional;

/**
 * Maps a tool's container security settings between their JSON form and {@link SecuritySettings}.
 */
final class SecurityMapper {
  private SecurityMapper() {}

  /** The settings {@code dto} describes; each absent one takes its default from {@code d}. */
  static SecuritySettings toDomain(SecurityDto dto, SecuritySettings d) {
    return new SecuritySettings(
        orElse(dto.runAsNonRoot(), d.runAsNonRoot()),
        Optional.ofNullable(dto.runAsUser()).or(d::runAsUser),
        orElse(dto.readOnlyRootFilesystem(), d.readOnlyRootFilesystem()),
        orElse(dto.allowPrivilegeEscalation(), d.allowPrivilegeEscalation()),
        orElse(dto.dropCapabilities(), d.dropCapabilities()),
        orElse(dto.addCapabilities(), d.addCapabilities()));
  }

  /** The JSON form of {@code security}. */
  static SecurityDto toDto(SecuritySettings security) {
    return new SecurityDto(
        security.runAsNonRoot(),
        security.runAsUser().orElse(null),
        security.readOnlyRootFilesystem(),
        security.allowPrivilegeEscalation(),
        security.dropCapabilities(),
        security.addCapabilities());
  }
}
