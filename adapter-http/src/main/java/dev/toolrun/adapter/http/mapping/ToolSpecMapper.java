package dev.toolrun.adapter.http.mapping;

import static dev.toolrun.adapter.http.mapping.Fields.each;
import static dev.toolrun.adapter.http.mapping.Fields.orElse;

import dev.toolrun.adapter.http.dto.SpecDto;
import dev.toolrun.adapter.http.dto.SpecDto.ImageDto;
import dev.toolrun.adapter.http.dto.SpecDto.ScriptDto;
import dev.toolrun.adapter.http.dto.SpecDto.VolumeDto;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.JsonSchema;
import dev.toolrun.domain.tool.Parallelism;
import dev.toolrun.domain.tool.Resources;
import dev.toolrun.domain.tool.Scheduling;
import dev.toolrun.domain.tool.SecuritySettings;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.domain.tool.VolumeClaimMount;
import dev.toolrun.domain.tool.Workload;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Maps a tool's spec between its JSON form and {@link ToolSpec}: the spec's own fields here, each
 * part of it by its own mapper ({@link WorkloadMapper}, {@link ResourcesMapper}, {@link
 * SchedulingMapper}, {@link SecurityMapper}, {@link ServiceSettingsMapper}).
 *
 * <p>Reading reports every violation at once, with paths relative to the spec ({@code
 * resources.cpu.limit}, {@code tolerations[0].operator}). Absent settings take the domain's
 * defaults, read from a spec built with none set, so the defaults live in one place.
 */
final class ToolSpecMapper {
  private static final ToolSpec DEFAULTS = ToolSpec.task(ContainerImage.of("defaults")).build();
  // Stand in for parts that were invalid, so that the spec's own cross-field rules still run and
  // their violations are reported together with the parts'. They trigger none of those rules.
  private static final Workload SOME_WORKLOAD = ContainerImage.of("placeholder");
  private static final ServiceSettings SOME_SERVICE = ServiceSettings.http(8080);

  private ToolSpecMapper() {}

  /**
   * The domain spec described by {@code dto}.
   *
   * @throws ValidationException listing every violation, with paths relative to the spec
   */
  static ToolSpec toDomain(SpecDto dto) {
    var v = new Violations();
    ToolMode mode = WireNames.parseRequired(ToolMode.class, ToolMode::name, dto.mode(), v, "mode");
    Workload workload = WorkloadMapper.toDomain(dto, v);
    Resources resources =
        dto.resources() == null
            ? DEFAULTS.resources()
            : v.attempt("resources", () -> ResourcesMapper.toDomain(dto.resources()));
    Scheduling scheduling = SchedulingMapper.toDomain(dto, DEFAULTS.scheduling(), v);
    SecuritySettings security =
        dto.security() == null
            ? DEFAULTS.security()
            : v.attempt(
                "security", () -> SecurityMapper.toDomain(dto.security(), DEFAULTS.security()));
    List<VolumeClaimMount> volumes = each(dto.volumes(), "volumes", ToolSpecMapper::volume, v);
    Parallelism parallelism =
        v.attempt(
            "",
            () ->
                new Parallelism(
                    orElse(dto.parallelism(), DEFAULTS.parallelism().parallelism()),
                    orElse(dto.completions(), DEFAULTS.parallelism().completions())));
    Optional<CleanupPolicy> cleanupPolicy =
        dto.cleanupPolicy() == null
            ? DEFAULTS.cleanupPolicy()
            : Optional.ofNullable(
                WireNames.parse(
                    CleanupPolicy.class,
                    CleanupPolicy::name,
                    dto.cleanupPolicy(),
                    v,
                    "cleanupPolicy"));
    Optional<ServiceSettings> service =
        dto.service() == null
            ? DEFAULTS.service()
            : Optional.of(
                orElse(
                    v.attempt("service", () -> ServiceSettingsMapper.toDomain(dto.service())),
                    SOME_SERVICE));
    Optional<JsonSchema> inputSchema = schema(dto.inputSchema(), "inputSchema", v);
    Optional<JsonSchema> outputSchema = schema(dto.outputSchema(), "outputSchema", v);
    if (mode == null) {
      // Without a mode the spec's own rules cannot be checked.
      v.throwIfAny();
    }
    ToolSpec spec =
        v.attempt(
            "",
            () ->
                new ToolSpec(
                    orElse(workload, SOME_WORKLOAD),
                    mode,
                    orElse(resources, DEFAULTS.resources()),
                    new TreeMap<>(orElse(dto.env(), DEFAULTS.env())),
                    new TreeSet<>(orElse(dto.secretInputs(), List.copyOf(DEFAULTS.secretInputs()))),
                    orElse(scheduling, DEFAULTS.scheduling()),
                    orElse(security, DEFAULTS.security()),
                    Optional.ofNullable(dto.serviceAccount()).or(DEFAULTS::serviceAccount),
                    Optional.ofNullable(dto.imagePullSecret()).or(DEFAULTS::imagePullSecret),
                    volumes,
                    orElse(parallelism, DEFAULTS.parallelism()),
                    Optional.ofNullable(dto.timeoutSeconds())
                        .map(Duration::ofSeconds)
                        .or(DEFAULTS::timeout),
                    orElse(dto.retryLimit(), DEFAULTS.retryLimit()),
                    cleanupPolicy,
                    Optional.ofNullable(dto.istioSidecar()).or(DEFAULTS::istioSidecar),
                    service,
                    inputSchema,
                    outputSchema));
    v.throwIfAny();
    return spec;
  }

  // An invalid schema is left out, so that the spec's own rules still run on the rest.
  private static Optional<JsonSchema> schema(
      Map<String, Object> document, String field, Violations v) {
    return document == null
        ? Optional.empty()
        : Optional.ofNullable(v.attempt(field, () -> new JsonSchema(document)));
  }

  private static VolumeClaimMount volume(VolumeDto dto) {
    return new VolumeClaimMount(
        orElse(dto.claimName(), ""), orElse(dto.mountPath(), ""), orElse(dto.readOnly(), false));
  }

  /** The JSON form of {@code spec}, every setting shown with its value or default. */
  static SpecDto toDto(ToolSpec spec) {
    ImageDto image = WorkloadMapper.toImageDto(spec.workload());
    ScriptDto script = WorkloadMapper.toScriptDto(spec.workload());
    if (image == null && script == null) {
      throw new IllegalStateException("unknown workload " + spec.workload().getClass().getName());
    }
    Scheduling scheduling = spec.scheduling();
    return new SpecDto(
        spec.mode().name(),
        image,
        script,
        ResourcesMapper.toDto(spec.resources()),
        spec.env(),
        List.copyOf(spec.secretInputs()),
        scheduling.nodeSelector(),
        SchedulingMapper.toDtos(scheduling.tolerations()),
        SchedulingMapper.toDto(scheduling.affinity()),
        SecurityMapper.toDto(spec.security()),
        spec.serviceAccount().orElse(null),
        spec.imagePullSecret().orElse(null),
        spec.volumes().stream()
            .map(m -> new VolumeDto(m.claimName(), m.mountPath(), m.readOnly()))
            .toList(),
        spec.parallelism().parallelism(),
        spec.parallelism().completions(),
        spec.timeout().map(Duration::toSeconds).orElse(null),
        spec.retryLimit(),
        spec.cleanupPolicy().map(CleanupPolicy::name).orElse(null),
        spec.istioSidecar().orElse(null),
        spec.service().map(ServiceSettingsMapper::toDto).orElse(null),
        spec.inputSchema().map(JsonSchema::document).orElse(null),
        spec.outputSchema().map(JsonSchema::document).orElse(null));
  }
}
