package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import java.util.Optional;

/**
 * Which page of a listing to return: at most {@code limit} items that come after the item keyed
 * {@code after} in listing order (from the start when empty).
 */
public record PageRequest(Optional<String> after, int limit) {
  public static final int DEFAULT_LIMIT = 50;
  public static final int MAX_LIMIT = 500;

  public PageRequest {
    requireNonNull(after, "after is null");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw ValidationException.of("limit", "must be between 1 and %d".formatted(MAX_LIMIT));
    }
  }

  public static PageRequest first(int limit) {
    return new PageRequest(Optional.empty(), limit);
  }
}
