package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violations;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** Where an instance's pods may be placed: node selector, tolerations and affinity. */
public record Scheduling(
    SortedMap<String, String> nodeSelector, List<Toleration> tolerations, Affinity affinity) {

  public static final Scheduling ANYWHERE =
      new Scheduling(new TreeMap<>(), List.of(), Affinity.NONE);

  /** Far above what a real pod carries; bounds the work a single registration can cause. */
  public static final int MAX_TOLERATIONS = 64;

  public Scheduling {
    nodeSelector =
        Collections.unmodifiableSortedMap(
            new TreeMap<>(requireNonNull(nodeSelector, "nodeSelector is null")));
    tolerations = List.copyOf(requireNonNull(tolerations, "tolerations is null"));
    requireNonNull(affinity, "affinity is null");
    var violations = new Violations();
    violations.check(
        tolerations.size() > MAX_TOLERATIONS,
        "tolerations",
        "must have at most %d entries".formatted(MAX_TOLERATIONS));
    nodeSelector.forEach(
        (k, v) -> {
          violations.check(
              !LabelNames.isQualifiedName(k),
              "nodeSelector",
              "'%s' is not a valid label key".formatted(ToolName.abbreviate(k)));
          violations.check(
              !LabelNames.isValue(v),
              "nodeSelector." + k,
              "'%s' is not a valid label value".formatted(ToolName.abbreviate(v)));
        });
    violations.throwIfAny();
  }
}
