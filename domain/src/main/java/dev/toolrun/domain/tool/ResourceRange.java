package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import java.util.Optional;

/**
 * A request and a limit of one resource; either may be absent, and the request never exceeds the
 * limit.
 */
public record ResourceRange(Optional<Quantity> request, Optional<Quantity> limit) {
  public static final ResourceRange UNBOUNDED =
      new ResourceRange(Optional.empty(), Optional.empty());

  public ResourceRange {
    requireNonNull(request, "request is null");
    requireNonNull(limit, "limit is null");
    if (request.isPresent() && limit.isPresent() && request.get().compareTo(limit.get()) > 0) {
      throw ValidationException.of(
          "request", "request %s is greater than limit %s".formatted(request.get(), limit.get()));
    }
  }

  public static ResourceRange of(String request, String limit) {
    return new ResourceRange(
        Optional.ofNullable(request).map(Quantity::parse),
        Optional.ofNullable(limit).map(Quantity::parse));
  }
}
