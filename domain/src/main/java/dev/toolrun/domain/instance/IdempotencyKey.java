package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;

/**
 * A client's idempotency key and the fingerprint of the launch request that first used it: the same
 * key with the same request returns the same instance, with another request it is a conflict.
 */
public record IdempotencyKey(String value, String requestFingerprint) {
  public static final int MAX_LENGTH = 255;

  public IdempotencyKey {
    requireNonNull(value, "value is null");
    requireNonNull(requestFingerprint, "requestFingerprint is null");
    if (value.isEmpty()
        || value.length() > MAX_LENGTH
        || value.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      throw ValidationException.of(
          "Idempotency-Key", "must be 1 to %d visible ASCII characters".formatted(MAX_LENGTH));
    }
  }
}
