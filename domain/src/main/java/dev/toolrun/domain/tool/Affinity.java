package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

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

  public Affinity {
    requiredNodeTerms = List.copyOf(requireNonNull(requiredNodeTerms, "requiredNodeTerms is null"));
    podAffinity = List.copyOf(requireNonNull(podAffinity, "podAffinity is null"));
    podAntiAffinity = List.copyOf(requireNonNull(podAntiAffinity, "podAntiAffinity is null"));
  }

  public boolean isEmpty() {
    return requiredNodeTerms.isEmpty() && podAffinity.isEmpty() && podAntiAffinity.isEmpty();
  }
}
