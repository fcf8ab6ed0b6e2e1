package dev.toolrun.adapter.http.mapping;

import static dev.toolrun.adapter.http.mapping.Fields.each;
import static dev.toolrun.adapter.http.mapping.Fields.orElse;

import dev.toolrun.adapter.http.dto.SpecDto;
import dev.toolrun.adapter.http.dto.SpecDto.AffinityDto;
import dev.toolrun.adapter.http.dto.SpecDto.NodeTermDto;
import dev.toolrun.adapter.http.dto.SpecDto.PodAffinityDto;
import dev.toolrun.adapter.http.dto.SpecDto.RequirementDto;
import dev.toolrun.adapter.http.dto.SpecDto.TolerationDto;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.tool.Affinity;
import dev.toolrun.domain.tool.LabelRequirement;
import dev.toolrun.domain.tool.NodeSelectorTerm;
import dev.toolrun.domain.tool.PodAffinityRule;
import dev.toolrun.domain.tool.Scheduling;
import dev.toolrun.domain.tool.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Maps where a tool's pods may run (node selector, tolerations, node and pod affinity) between the
 * spec's JSON fields and {@link Scheduling}. The JSON form keeps the Kubernetes spellings, which
 * {@link WireNames} translates.
 */
final class SchedulingMapper {
  private SchedulingMapper() {}

  /**
   * The scheduling of {@code dto}'s scheduling fields, an absent node selector taken from {@code
   * defaults}; its violations are recorded in {@code v}, and it is null when invalid.
   */
  static Scheduling toDomain(SpecDto dto, Scheduling defaults, Violations v) {
    List<Toleration> tolerations =
        each(dto.tolerations(), "tolerations", SchedulingMapper::toleration, v);
    Affinity affinity =
        dto.affinity() == null
            ? Affinity.NONE
            : v.attempt("affinity", () -> affinity(dto.affinity()));
    return v.attempt(
        "",
        () ->
            new Scheduling(
                new TreeMap<>(orElse(dto.nodeSelector(), defaults.nodeSelector())),
                tolerations,
                orElse(affinity, Affinity.NONE)));
  }

  private static Toleration toleration(TolerationDto dto) {
    var v = new Violations();
    Toleration.Operator operator =
        WireNames.parseRequired(
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
        each(dto.requiredNodeTerms(), "requiredNodeTerms", SchedulingMapper::nodeTerm, v);
    List<PodAffinityRule> near =
        each(dto.podAffinity(), "podAffinity", SchedulingMapper::podRule, v);
    List<PodAffinityRule> away =
        each(dto.podAntiAffinity(), "podAntiAffinity", SchedulingMapper::podRule, v);
    v.throwIfAny();
    return new Affinity(terms, near, away);
  }

  private static NodeSelectorTerm nodeTerm(NodeTermDto dto) {
    var v = new Violations();
    List<LabelRequirement> requirements =
        each(dto.requirements(), "requirements", SchedulingMapper::requirement, v);
    v.throwIfAny();
    return new NodeSelectorTerm(requirements);
  }

  private static LabelRequirement requirement(RequirementDto dto) {
    var v = new Violations();
    LabelRequirement.Operator operator =
        WireNames.parseRequired(
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

  /** The JSON form of {@code tolerations}. */
  static List<TolerationDto> toDtos(List<Toleration> tolerations) {
    return tolerations.stream().map(SchedulingMapper::toleration).toList();
  }

  private static TolerationDto toleration(Toleration t) {
    return new TolerationDto(
        t.key().orElse(null),
        WireNames.of(t.operator()),
        t.value().orElse(null),
        t.effect().map(WireNames::of).orElse(null),
        t.tolerationSeconds().orElse(null));
  }

  /** The JSON form of {@code affinity}. */
  static AffinityDto toDto(Affinity affinity) {
    return new AffinityDto(
        affinity.requiredNodeTerms().stream().map(SchedulingMapper::nodeTerm).toList(),
        affinity.podAffinity().stream().map(SchedulingMapper::podRule).toList(),
        affinity.podAntiAffinity().stream().map(SchedulingMapper::podRule).toList());
  }

  private static NodeTermDto nodeTerm(NodeSelectorTerm term) {
    return new NodeTermDto(
        term.requirements().stream()
            .map(r -> new RequirementDto(r.key(), WireNames.of(r.operator()), r.values()))
            .toList());
  }

  private static PodAffinityDto podRule(PodAffinityRule rule) {
    return new PodAffinityDto(
        new TreeMap<>(rule.matchLabels()),
        rule.topologyKey(),
        rule.preferenceWeight().orElse(null));
  }
}
