package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.stream.Collectors;

/** Input broke one or more rules; every violation found is listed, not just the first. */
public final class ValidationException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  private final transient List<Violation> violations;

  public ValidationException(List<Violation> violations) {
    super(describe(violations));
    this.violations = List.copyOf(violations);
  }

  /** A validation failure with a single violation. */
  public static ValidationException of(String field, String message) {
    return new ValidationException(List.of(new Violation(field, message)));
  }

  private static String describe(List<Violation> violations) {
    requireNonNull(violations, "violations is null");
    if (violations.isEmpty()) {
      throw new IllegalArgumentException("a validation failure needs at least one violation");
    }
    return violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
  }

  public List<Violation> violations() {
    return violations;
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.VALIDATION_FAILED;
  }
}
