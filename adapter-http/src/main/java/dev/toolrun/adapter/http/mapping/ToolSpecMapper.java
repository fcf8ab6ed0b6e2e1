package dev.toolrun.adapter.http.mapping;

import dev.toolrun.adapter.http.dto.SpecDto;
import dev.toolrun.adapter.http.dto.SpecDto.AffinityDto;
import dev.toolrun.adapter.http.dto.SpecDto.GpuDto;
import dev.toolrun.adapter.http.dto.SpecDto.ImageDto;
import dev.toolrun.adapter.http.dto.SpecDto.NodeTermDto;
import dev.toolrun.adapter.http.dto.SpecDto.PodAffinityDto;
import dev.toolrun.adapter.http.dto.SpecDto.RangeDto;
import dev.toolrun.adapter.http.dto.SpecDto.RequirementDto;
import dev.toolrun.adapter.http.dto.SpecDto.ResourcesDto;
import dev.toolrun.adapter.http.dto.SpecDto.ScriptDto;
import dev.toolrun.adapter.http.dto.SpecDto.SecurityDto;
import dev.toolrun.adapter.http.dto.SpecDto.ServiceDto;
import dev.toolrun.adapter.http.dto.SpecDto.TolerationDto;
import dev.toolrun.adapter.http.dto.SpecDto.VolumeDto;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.tool.Affinity;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Gpu;
import dev.toolrun.domain.tool.LabelRequirement;
import dev.toolrun.domain.tool.NodeSelectorTerm;
import dev.toolrun.domain.tool.Parallelism;
import dev.toolrun.domain.tool.PodAffinityRule;
import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.domain.tool.Quantity;
import dev.toolrun.domain.tool.ResourceRange;
import dev.toolrun.domain.tool.Resources;
import dev.toolrun.domain.tool.Scheduling;
import dev.toolrun.domain.tool.Script;
import dev.toolrun.domain.tool.ScriptLanguage;
import dev.toolrun.domain.tool.SecuritySettings;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.Toleration;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.domain.tool.UnhealthyAction;
import dev.toolrun.domain.tool.VolumeClaimMount;
import dev.toolrun.domain.tool.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Maps a tool's spec between its JSON form and {@link ToolSpec}.
 *
 * <p>Reading reports every violation at once, with paths relative to the spec ({@code
 * resources.cpu.limit}, {@code tolerations[0].operator}). Absent settings take the domain's
 * defaults, read from a spec built with none set, so the defaults live in one place.
 */
final class ToolSpecMapper {
  private static final ToolSpec DEFAULTS = ToolSpec.task(ContainerImage.of("defaults")).build();
  private static final ServiceSettings SERVICE_DEFAULTS = ServiceSettings.http(1);
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
    ToolMode mode =
        dto.mode() == null
            ? missing(v, "mode")
            : WireNames.parse(ToolMode.class, ToolMode::name, dto.mode(), v, "mode");
    Workload workload = workload(dto, v);
    Resources resources =
        dto.resources() == null
            ? DEFAULTS.resources()
            : v.attempt("resources", () -> resources(dto.resources()));
    Scheduling scheduling = scheduling(dto, v);
    SecuritySettings security =
        dto.security() == null
            ? DEFAULTS.security()
            : v.attempt("security", () -> security(dto.security()));
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
            : Optional.of(orElse(v.attempt("service", () -> service(dto.service())), SOME_SERVICE));
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
                    service));
    v.throwIfAny();
    return spec;
  }

  private static Workload workload(SpecDto dto, Violations v) {
    if (dto.image() != null && dto.script() != null) {
      v.add("", "needs exactly one of image or script; both were given");
      return null;
    }
    if (dto.image() == null && dto.script() == null) {
      v.add("", "needs exactly one of image or script; neither was given");
      return null;
    }
    return dto.image() != null
        ? v.attempt("image", () -> image(dto.image()))
        : v.attempt("script", () -> script(dto.script()));
  }

  private static ContainerImage image(ImageDto dto) {
    try {
      return new ContainerImage(
          orElse(dto.name(), ""), orElse(dto.command(), List.of()), orElse(dto.args(), List.of()));
    } catch (ValidationException e) {
      // The domain calls the reference "image"; in the API it is the image's "name".
      throw new ValidationException(
          e.violations().stream()
              .map(x -> x.field().equals("image") ? new Violation("name", x.message()) : x)
              .toList());
    }
  }

  private static Script script(ScriptDto dto) {
    var v = new Violations();
    ScriptLanguage language =
        dto.language() == null
            ? missing(v, "language")
            : WireNames.parse(ScriptLanguage.class, WireNames::of, dto.language(), v, "language");
    Script script =
        v.attempt(
            "",
            () ->
                new Script(
                    orElse(language, ScriptLanguage.SHELL),
                    orElse(dto.source(), ""),
                    orElse(dto.args(), List.of())));
    v.throwIfAny();
    return script;
  }

  private static Resources resources(ResourcesDto dto) {
    var v = new Violations();
    ResourceRange cpu =
        dto.cpu() == null ? ResourceRange.UNBOUNDED : v.attempt("cpu", () -> range(dto.cpu()));
    ResourceRange memory =
        dto.memory() == null
            ? ResourceRange.UNBOUNDED
            : v.attempt("memory", () -> range(dto.memory()));
    Optional<Gpu> gpu =
        dto.gpu() == null
            ? Optional.empty()
            : Optional.ofNullable(v.attempt("gpu", () -> gpu(dto.gpu())));
    v.throwIfAny();
    return new Resources(cpu, memory, gpu);
  }

  private static ResourceRange range(RangeDto dto) {
    var v = new Violations();
    Optional<Quantity> request = quantity(dto.request(), "request", v);
    Optional<Quantity> limit = quantity(dto.limit(), "limit", v);
    v.throwIfAny();
    return new ResourceRange(request, limit);
  }

  private static Optional<Quantity> quantity(String text, String field, Violations v) {
    return text == null
        ? Optional.empty()
        : Optional.ofNullable(v.attempt(field, () -> Quantity.parse(text)));
  }

  private static Gpu gpu(GpuDto dto) {
    if (dto.count() == null) {
      throw ValidationException.of("count", "is required");
    }
    return new Gpu(dto.count(), orElse(dto.resourceName(), Gpu.DEFAULT_RESOURCE));
  }

  private static Scheduling scheduling(SpecDto dto, Violations v) {
    List<Toleration> tolerations =
        each(dto.tolerations(), "tolerations", ToolSpecMapper::toleration, v);
    Affinity affinity =
        dto.affinity() == null
            ? Affinity.NONE
            : v.attempt("affinity", () -> affinity(dto.affinity()));
    return v.attempt(
        "",
        () ->
            new Scheduling(
                new TreeMap<>(orElse(dto.nodeSelector(), DEFAULTS.scheduling().nodeSelector())),
                tolerations,
                orElse(affinity, Affinity.NONE)));
  }

  private static Toleration toleration(TolerationDto dto) {
    var v = new Violations();
    Toleration.Operator operator =
        dto.operator() == null
            ? missing(v, "operator")
            : WireNames.parse(
                Toleration.Operator.class, WireNames::of, dto.operator(), v, "operator");
    Optional<Toleration.Effect> effect =
        dto.effect() == null
            ? Optional.empty()
            : Optional.ofNullable(
                WireNames.parse(Toleration.Effect.class, WireNames::of, dto.effect(), v, "effect"));
    v.throwIfAny();
    return new Toleration(
        Optional.ofNullable(dto.key()),
        operator,
        Optional.ofNullable(dto.value()),
        effect,
        Optional.ofNullable(dto.tolerationSeconds()));
  }

  private static Affinity affinity(AffinityDto dto) {
    var v = new Violations();
    List<NodeSelectorTerm> terms =
        each(dto.requiredNodeTerms(), "requiredNodeTerms", ToolSpecMapper::nodeTerm, v);
    List<PodAffinityRule> near = each(dto.podAffinity(), "podAffinity", ToolSpecMapper::podRule, v);
    List<PodAffinityRule> away =
        each(dto.podAntiAffinity(), "podAntiAffinity", ToolSpecMapper::podRule, v);
    v.throwIfAny();
    return new Affinity(terms, near, away);
  }

  private static NodeSelectorTerm nodeTerm(NodeTermDto dto) {
    var v = new Violations();
    List<LabelRequirement> requirements =
        each(dto.requirements(), "requirements", ToolSpecMapper::requirement, v);
    v.throwIfAny();
    return new NodeSelectorTerm(requirements);
  }

  private static LabelRequirement requirement(RequirementDto dto) {
    var v = new Violations();
    LabelRequirement.Operator operator =
        dto.operator() == null
            ? missing(v, "operator")
            : WireNames.parse(
                LabelRequirement.Operator.class, WireNames::of, dto.operator(), v, "operator");
    v.throwIfAny();
    return new LabelRequirement(orElse(dto.key(), ""), operator, orElse(dto.values(), List.of()));
  }

  private static PodAffinityRule podRule(PodAffinityDto dto) {
    return new PodAffinityRule(
        orElse(dto.matchLabels(), Map.of()),
        orElse(dto.topologyKey(), ""),
        Optional.ofNullable(dto.preferenceWeight()));
  }

  private static SecuritySettings security(SecurityDto dto) {
    SecuritySettings d = DEFAULTS.security();
    return new SecuritySettings(
        orElse(dto.runAsNonRoot(), d.runAsNonRoot()),
        Optional.ofNullable(dto.runAsUser()).or(d::runAsUser),
        orElse(dto.readOnlyRootFilesystem(), d.readOnlyRootFilesystem()),
        orElse(dto.allowPrivilegeEscalation(), d.allowPrivilegeEscalation()),
        orElse(dto.dropCapabilities(), d.dropCapabilities()),
        orElse(dto.addCapabilities(), d.addCapabilities()));
  }

  private static VolumeClaimMount volume(VolumeDto dto) {
    return new VolumeClaimMount(
        orElse(dto.claimName(), ""), orElse(dto.mountPath(), ""), orElse(dto.readOnly(), false));
  }

  private static ServiceSettings service(ServiceDto dto) {
    var v = new Violations();
    ServiceSettings d = SERVICE_DEFAULTS;
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

  /** The JSON form of {@code spec}, every setting shown with its value or default. */
  static SpecDto toDto(ToolSpec spec) {
    Workload workload = spec.workload();
    ImageDto image = null;
    ScriptDto script = null;
    if (workload instanceof ContainerImage c) {
      image = new ImageDto(c.image(), c.command(), c.args());
    } else if (workload instanceof Script s) {
      script = new ScriptDto(WireNames.of(s.language()), s.source(), s.args());
    } else {
      throw new IllegalStateException("unknown workload " + workload.getClass().getName());
    }
    Scheduling scheduling = spec.scheduling();
    SecuritySettings security = spec.security();
    return new SpecDto(
        spec.mode().name(),
        image,
        script,
        new ResourcesDto(
            range(spec.resources().cpu()),
            range(spec.resources().memory()),
            spec.resources().gpu().map(g -> new GpuDto(g.count(), g.resourceName())).orElse(null)),
        spec.env(),
        List.copyOf(spec.secretInputs()),
        scheduling.nodeSelector(),
        scheduling.tolerations().stream().map(ToolSpecMapper::toleration).toList(),
        affinity(scheduling.affinity()),
        new SecurityDto(
            security.runAsNonRoot(),
            security.runAsUser().orElse(null),
            security.readOnlyRootFilesystem(),
            security.allowPrivilegeEscalation(),
            security.dropCapabilities(),
            security.addCapabilities()),
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
        spec.service().map(ToolSpecMapper::service).orElse(null));
  }

  private static RangeDto range(ResourceRange range) {
    return new RangeDto(
        range.request().map(Quantity::text).orElse(null),
        range.limit().map(Quantity::text).orElse(null));
  }

  private static TolerationDto toleration(Toleration t) {
    return new TolerationDto(
        t.key().orElse(null),
        WireNames.of(t.operator()),
        t.value().orElse(null),
        t.effect().map(WireNames::of).orElse(null),
        t.tolerationSeconds().orElse(null));
  }

  private static AffinityDto affinity(Affinity affinity) {
    return new AffinityDto(
        affinity.requiredNodeTerms().stream()
            .map(
                term ->
                    new NodeTermDto(
                        term.requirements().stream()
                            .map(
                                r ->
                                    new RequirementDto(
                                        r.key(), WireNames.of(r.operator()), r.values()))
                            .toList()))
            .toList(),
        affinity.podAffinity().stream().map(ToolSpecMapper::podRule).toList(),
        affinity.podAntiAffinity().stream().map(ToolSpecMapper::podRule).toList());
  }

  private static PodAffinityDto podRule(PodAffinityRule rule) {
    return new PodAffinityDto(
        new TreeMap<>(rule.matchLabels()),
        rule.topologyKey(),
        rule.preferenceWeight().orElse(null));
  }

  private static ServiceDto service(ServiceSettings s) {
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

  /**
   * Maps each element, recording its violations under {@code field[i]}; invalid ones are left out.
   */
  private static <D, T> List<T> each(List<D> dtos, String field, Function<D, T> map, Violations v) {
    if (dtos == null) {
      return List.of();
    }
    List<T> mapped = new ArrayList<>(dtos.size());
    for (int i = 0; i < dtos.size(); i++) {
      D dto = dtos.get(i);
      T value = v.attempt(field + "[" + i + "]", () -> map.apply(dto));
      if (value != null) {
        mapped.add(value);
      }
    }
    return mapped;
  }

  private static <T> T missing(Violations v, String field) {
    v.add(field, "is required");
    return null;
  }

  private static <T> T orElse(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
