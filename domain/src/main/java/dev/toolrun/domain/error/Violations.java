package dev.toolrun.domain.error;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Collects violations while a composite value is built, so that one request reports every problem
 * at once instead of the first one only.
 *
 * <p>Not thread-safe: it lives for the duration of one validation.
 */
public final class Violations {
  private final List<Violation> found = new ArrayList<>();

  /** Records a violation of {@code field}. */
  public void add(String field, String message) {
    found.add(new Violation(field, message));
  }

  /** Records a violation found elsewhere (by a schema validator, say). */
  public void add(Violation violation) {
    found.add(Objects.requireNonNull(violation, "violation is null"));
  }

  /** Records a violation of {@code field} when {@code broken} holds. */
  public void check(boolean broken, String field, String message) {
    if (broken) {
      add(field, message);
    }
  }

  /**
   * Builds a value, recording the violations of its constructor under {@code field} instead of
   * throwing them.
   *
   * @return the value, or {@code null} when it was invalid
   */
  public <T> T attempt(String field, Supplier<T> builder) {
    try {
      return builder.get();
    } catch (ValidationException e) {
      e.violations().forEach(v -> found.add(v.under(field)));
      return null;
    }
  }

  public boolean isEmpty() {
    return found.isEmpty();
  }

  /** Throws a {@link ValidationException} with everything recorded so far, if anything was. */
  public void throwIfAny() {
    if (!found.isEmpty()) {
      throw new ValidationException(found);
    }
  }
}
