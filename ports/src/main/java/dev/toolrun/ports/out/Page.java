package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing, and where the next one starts.
 *
 * @param nextAfter the key to pass as {@link PageRequest#after()} for the next page; empty on the
 *     last page
 */
public record Page<T>(List<T> items, Optional<String> nextAfter) {
  public Page {
    items = List.copyOf(requireNonNull(items, "items is null"));
    requireNonNull(nextAfter, "nextAfter is null");
  }

  /**
   * The page of {@code sorted} (already filtered and in listing order) that {@code request} asks
   * for.
   */
  public static <T> Page<T> of(
      List<T> sorted, PageRequest request, java.util.function.Function<T, String> key) {
    List<T> items = sorted.size() > request.limit() ? sorted.subList(0, request.limit()) : sorted;
    Optional<String> next =
        sorted.size() > request.limit()
            ? Optional.of(key.apply(items.get(items.size() - 1)))
            : Optional.empty();
    return new Page<>(items, next);
  }
}
