package dev.toolrun.adapter.http.mapping;

import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.tool.LabelRequirement;
import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.domain.tool.ScriptLanguage;
import dev.toolrun.domain.tool.Toleration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The names the API gives the domain's enum constants where they differ from the Java names
 * (Kubernetes spellings such as {@code NoSchedule}, lower-case languages). Each mapping is one
 * exhaustive switch; reading a name searches the constants, so the two directions cannot drift.
 */
final class WireNames {
  private WireNames() {}

  static String of(ScriptLanguage language) {
    return switch (language) {
      case PYTHON -> "python";
      case SHELL -> "shell";
    };
  }

  static String of(Protocol protocol) {
    return switch (protocol) {
      case HTTP -> "http";
      case GRPC -> "grpc";
    };
  }

  static String of(Toleration.Operator operator) {
    return switch (operator) {
      case EQUAL -> "Equal";
      case EXISTS -> "Exists";
    };
  }

  static String of(Toleration.Effect effect) {
    return switch (effect) {
      case NO_SCHEDULE -> "NoSchedule";
      case PREFER_NO_SCHEDULE -> "PreferNoSchedule";
      case NO_EXECUTE -> "NoExecute";
    };
  }

  static String of(LabelRequirement.Operator operator) {
    return switch (operator) {
      case IN -> "In";
      case NOT_IN -> "NotIn";
      case EXISTS -> "Exists";
      case DOES_NOT_EXIST -> "DoesNotExist";
      case GT -> "Gt";
      case LT -> "Lt";
    };
  }

  /**
   * The constant of {@code type} named {@code wire} by {@code name}; records a violation of {@code
   * field} and returns null when there is none.
   */
  static <E extends Enum<E>> E parse(
      Class<E> type, Function<E, String> name, String wire, Violations violations, String field) {
    Optional<E> found =
        Arrays.stream(type.getEnumConstants()).filter(e -> name.apply(e).equals(wire)).findFirst();
    if (found.isEmpty()) {
      violations.add(
          field,
          "'%s' is not one of %s"
              .formatted(
                  abbreviate(wire),
                  Arrays.stream(type.getEnumConstants())
                      .map(name)
                      .collect(Collectors.joining(", "))));
      return null;
    }
    return found.get();
  }

  /**
   * As {@link #parse}, for a field that is required: records that {@code field} is required and
   * returns null when {@code wire} is absent.
   */
  static <E extends Enum<E>> E parseRequired(
      Class<E> type, Function<E, String> name, String wire, Violations violations, String field) {
    return wire == null
        ? Fields.missing(violations, field)
        : parse(type, name, wire, violations, field);
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
