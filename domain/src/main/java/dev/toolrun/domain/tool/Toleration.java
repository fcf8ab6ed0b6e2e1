package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violations;
import java.util.Optional;

/**
 * Lets instances run on nodes with a matching taint.
 *
 * <p>{@code EXISTS} matches any value (and, without a key, any taint); {@code EQUAL} needs a key.
 * {@code tolerationSeconds} only applies to the {@code NO_EXECUTE} effect.
 */
public record Toleration(
    Optional<String> key,
    Operator operator,
    Optional<String> value,
    Optional<Effect> effect,
    Optional<Long> tolerationSeconds) {

  /** How the toleration matches a taint's value. */
  public enum Operator {
    /** The taint's value must equal {@link #value()}. */
    EQUAL,
    /** Any value matches. */
    EXISTS
  }

  /** The taint effect tolerated; absent means all effects. */
  public enum Effect {
    /** New pods are not scheduled onto the node. */
    NO_SCHEDULE,
    /** The scheduler tries to avoid the node. */
    PREFER_NO_SCHEDULE,
    /** Running pods are evicted from the node. */
    NO_EXECUTE
  }

  public Toleration {
    requireNonNull(key, "key is null");
    requireNonNull(operator, "operator is null");
    requireNonNull(value, "value is null");
    requireNonNull(effect, "effect is null");
    requireNonNull(tolerationSeconds, "tolerationSeconds is null");
    var violations = new Violations();
    key.ifPresent(
        k ->
            violations.check(
                !LabelNames.isQualifiedName(k),
                "key",
                "'%s' is not a valid taint key".formatted(ToolName.abbreviate(k))));
    violations.check(
        operator == Operator.EQUAL && key.isEmpty(), "key", "is required when operator is EQUAL");
    violations.check(
        operator == Operator.EXISTS && value.isPresent(),
        "value",
        "must be empty when operator is EXISTS");
    value.ifPresent(
        v ->
            violations.check(
                !LabelNames.isValue(v),
                "value",
                "'%s' is not a valid taint value".formatted(ToolName.abbreviate(v))));
    violations.check(
        tolerationSeconds.isPresent() && effect.orElse(null) != Effect.NO_EXECUTE,
        "tolerationSeconds",
        "only applies to the NO_EXECUTE effect");
    violations.check(
        tolerationSeconds.filter(s -> s < 0).isPresent(),
        "tolerationSeconds",
        "must not be negative");
    violations.throwIfAny();
  }
}
