package dev.toolrun.adapter.k8s.job;

import dev.toolrun.domain.tool.LabelRequirement;
import dev.toolrun.domain.tool.NodeSelectorTerm;
import dev.toolrun.domain.tool.PodAffinityRule;
import dev.toolrun.domain.tool.Scheduling;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Turns toolrun's scheduling settings into a pod's node selector, tolerations and affinity. */
public final class PodPlacement {
  private PodPlacement() {}

  /** The runtime's defaults with the tool's selector added; the tool wins on a shared key. */
  static Map<String, String> nodeSelector(Scheduling defaults, Scheduling tool) {
    Map<String, String> merged = new TreeMap<>(defaults.nodeSelector());
    merged.putAll(tool.nodeSelector());
    return merged;
  }

  /** The runtime's default tolerations followed by the tool's. */
  static List<Toleration> tolerations(Scheduling defaults, Scheduling tool) {
    List<Toleration> all = new ArrayList<>();
    for (dev.toolrun.domain.tool.Toleration t : defaults.tolerations()) {
      all.add(toleration(t));
    }
    for (dev.toolrun.domain.tool.Toleration t : tool.tolerations()) {
      all.add(toleration(t));
    }
    return all;
  }

  private static Toleration toleration(dev.toolrun.domain.tool.Toleration t) {
    return new TolerationBuilder()
        .withKey(t.key().orElse(null))
        .withOperator(
            switch (t.operator()) {
              case EQUAL -> "Equal";
              case EXISTS -> "Exists";
            })
        .withValue(t.value().orElse(null))
        .withEffect(
            t.effect()
                .map(
                    e ->
                        switch (e) {
                          case NO_SCHEDULE -> "NoSchedule";
                          case PREFER_NO_SCHEDULE -> "PreferNoSchedule";
                          case NO_EXECUTE -> "NoExecute";
                        })
                .orElse(null))
        .withTolerationSeconds(t.tolerationSeconds().orElse(null))
        .build();
  }

  /** The pod affinity of the tool's rules; empty when it has none. */
  static Optional<Affinity> affinity(dev.toolrun.domain.tool.Affinity affinity) {
    if (affinity.isEmpty()) {
      return Optional.empty();
    }
    AffinityBuilder builder = new AffinityBuilder();
    if (!affinity.requiredNodeTerms().isEmpty()) {
      builder
          .withNewNodeAffinity()
          .withNewRequiredDuringSchedulingIgnoredDuringExecution()
          .withNodeSelectorTerms(
              affinity.requiredNodeTerms().stream().map(PodPlacement::nodeSelectorTerm).toList())
          .endRequiredDuringSchedulingIgnoredDuringExecution()
          .endNodeAffinity();
    }
    if (!affinity.podAffinity().isEmpty()) {
      builder
          .withNewPodAffinity()
          .withRequiredDuringSchedulingIgnoredDuringExecution(required(affinity.podAffinity()))
          .withPreferredDuringSchedulingIgnoredDuringExecution(preferred(affinity.podAffinity()))
          .endPodAffinity();
    }
    if (!affinity.podAntiAffinity().isEmpty()) {
      builder
          .withNewPodAntiAffinity()
          .withRequiredDuringSchedulingIgnoredDuringExecution(required(affinity.podAntiAffinity()))
          .withPreferredDuringSchedulingIgnoredDuringExecution(
              preferred(affinity.podAntiAffinity()))
          .endPodAntiAffinity();
    }
    return Optional.of(builder.build());
  }

  private static io.fabric8.kubernetes.api.model.NodeSelectorTerm nodeSelectorTerm(
      NodeSelectorTerm term) {
    return new NodeSelectorTermBuilder()
        .withMatchExpressions(term.requirements().stream().map(PodPlacement::requirement).toList())
        .build();
  }

  private static NodeSelectorRequirement requirement(LabelRequirement r) {
    return new NodeSelectorRequirementBuilder()
        .withKey(r.key())
        .withOperator(
            switch (r.operator()) {
              case IN -> "In";
              case NOT_IN -> "NotIn";
              case EXISTS -> "Exists";
              case DOES_NOT_EXIST -> "DoesNotExist";
              case GT -> "Gt";
              case LT -> "Lt";
            })
        .withValues(r.values().isEmpty() ? null : r.values())
        .build();
  }

  private static List<PodAffinityTerm> required(List<PodAffinityRule> rules) {
    return rules.stream().filter(PodAffinityRule::isRequired).map(PodPlacement::term).toList();
  }

  private static List<WeightedPodAffinityTerm> preferred(List<PodAffinityRule> rules) {
    return rules.stream()
        .filter(r -> !r.isRequired())
        .map(
            r ->
                new WeightedPodAffinityTermBuilder()
                    .withWeight(r.preferenceWeight().orElseThrow())
                    .withPodAffinityTerm(term(r))
                    .build())
        .toList();
  }

  private static PodAffinityTerm term(PodAffinityRule rule) {
    return new PodAffinityTermBuilder()
        .withLabelSelector(
            new LabelSelectorBuilder().withMatchLabels(new TreeMap<>(rule.matchLabels())).build())
        .withTopologyKey(rule.topologyKey())
        .build();
  }
}
