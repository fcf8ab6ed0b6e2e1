package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violations;
import java.util.List;

/** One condition on a node's or pod's labels, as used by affinity rules. */
public record LabelRequirement(String key, Operator operator, List<String> values) {

  /** How {@link #values()} are matched against the label. */
  public enum Operator {
    /** The label's value is one of the values. */
    IN,
    /** The label's value is none of the values. */
    NOT_IN,
    /** The label is present; no values. */
    EXISTS,
    /** The label is absent; no values. */
    DOES_NOT_EXIST,
    /** The label's value is an integer greater than the single value (nodes only). */
    GT,
    /** The label's value is an integer less than the single value (nodes only). */
    LT
  }

  public LabelRequirement {
    requireNonNull(key, "key is null");
    requireNonNull(operator, "operator is null");
    values = List.copyOf(requireNonNull(values, "values is null"));
    var violations = new Violations();
    violations.check(
        !LabelNames.isQualifiedName(key),
        "key",
        "'%s' is not a valid label key".formatted(ToolName.abbreviate(key)));
    switch (operator) {
      case IN, NOT_IN ->
          violations.check(values.isEmpty(), "values", "must not be empty for " + operator);
      case EXISTS, DOES_NOT_EXIST ->
          violations.check(!values.isEmpty(), "values", "must be empty for " + operator);
      case GT, LT ->
          violations.check(
              values.size() != 1 || !values.get(0).matches("-?[0-9]{1,18}"),
              "values",
              "must be a single integer for " + operator);
    }
    for (String v : values) {
      violations.check(
          !LabelNames.isValue(v),
          "values",
          "'%s' is not a valid label value".formatted(ToolName.abbreviate(v)));
    }
    violations.throwIfAny();
  }
}
