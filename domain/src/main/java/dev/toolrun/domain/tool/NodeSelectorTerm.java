package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import java.util.List;

/** A set of node label requirements that must all hold; terms of an affinity are alternatives. */
public record NodeSelectorTerm(List<LabelRequirement> requirements) {
  public NodeSelectorTerm {
    requirements = List.copyOf(requireNonNull(requirements, "requirements is null"));
    if (requirements.isEmpty()) {
      throw ValidationException.of("requirements", "must not be empty");
    }
  }
}
