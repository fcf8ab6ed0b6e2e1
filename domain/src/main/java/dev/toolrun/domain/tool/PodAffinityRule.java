package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violations;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Places instances near (affinity) or away from (anti-affinity) pods whose labels match {@code
 * matchLabels}, within the same {@code topologyKey} domain. Without a weight the rule is required;
 * with a weight (1-100) it is a preference.
 */
public record PodAffinityRule(
    Map<String, String> matchLabels, String topologyKey, Optional<Integer> preferenceWeight) {

  public PodAffinityRule {
    matchLabels = Map.copyOf(new TreeMap<>(requireNonNull(matchLabels, "matchLabels is null")));
    requireNonNull(topologyKey, "topologyKey is null");
    requireNonNull(preferenceWeight, "preferenceWeight is null");
    var violations = new Violations();
    violations.check(matchLabels.isEmpty(), "matchLabels", "must not be empty");
    matchLabels.forEach(
        (k, v) -> {
          violations.check(
              !LabelNames.isQualifiedName(k),
              "matchLabels",
              "'%s' is not a valid label key".formatted(ToolName.abbreviate(k)));
          violations.check(
              !LabelNames.isValue(v),
              "matchLabels." + k,
              "'%s' is not a valid label value".formatted(ToolName.abbreviate(v)));
        });
    violations.check(
        !LabelNames.isQualifiedName(topologyKey),
        "topologyKey",
        "'%s' is not a valid label key".formatted(ToolName.abbreviate(topologyKey)));
    violations.check(
        preferenceWeight.filter(w -> w < 1 || w > 100).isPresent(),
        "preferenceWeight",
        "must be between 1 and 100");
    violations.throwIfAny();
  }

  public boolean isRequired() {
    return preferenceWeight.isEmpty();
  }
}
