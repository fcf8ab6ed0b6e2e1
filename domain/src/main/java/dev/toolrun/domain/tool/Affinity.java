package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violations;
import java.util.List;

/**
 * Where instances may run relative to nodes and other pods: required node terms (any one must
 * match), and pod affinity and anti-affinity rules.
 */
public record Affinity(
    List<NodeSelectorTerm> requiredNodeTerms,
    List<PodAffinityRule> podAffinity,
    List<PodAffinityRule> podAntiAffinity) {

  public static final Affinity NONE = new Affinity(List.of(), List.of(), List.of());

  /**
   * Per list: far above what a real pod carries; bounds the work a single registration can cause.
   */
  public static final int MAX_ENTRIES = 32;

  public Affinity {
    requiredNodeTerms = List.copyOf(requireNonNull(requiredNodeTerms, "requiredNodeTerms is null"));
    podAffinity = List.copyOf(requireNonNull(podAffinity, "podAffinity is null"));
    podAntiAffinity = List.copyOf(requireNonNull(podAntiAffinity, "podAntiAffinity is null"));
    var violations = new Violations();
    String tooMany = "must have at most %d entries".formatted(MAX_ENTRIES);
    violations.check(requiredNodeTerms.size() > MAX_ENTRIES, "affinity.requiredNodeTerms", tooMany);
    violations.check(podAffinity.size() > MAX_ENTRIES, "affinity.podAffinity", tooMany);
    violations.check(podAntiAffinity.size() > MAX_ENTRIES, "affinity.podAntiAffinity", tooMany);
    violations.throwIfAny();
  }

  public boolean isEmpty() {
    return requiredNodeTerms.isEmpty() && podAffinity.isEmpty() && podAntiAffinity.isEmpty();
  }
}
