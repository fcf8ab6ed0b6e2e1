package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

/**
 * How clients of the {@code /v1} API authenticate: with a bearer token, or, only when configured
 * explicitly, not at all.
 */
public sealed interface Authentication
    permits Authentication.BearerToken, Authentication.Anonymous {

  /** Every request under {@code /v1} must carry {@code Authorization: Bearer <token>}. */
  static Authentication bearer(String token) {
    return new BearerToken(token);
  }

  /** No authentication at all; for local use only. */
  static Authentication anonymous() {
    return new Anonymous();
  }

  /** A single shared token, compared in constant time. */
  record BearerToken(String token) implements Authentication {
    public BearerToken {
      requireNonNull(token, "token is null");
      if (token.isBlank()) {
        throw new IllegalArgumentException("the bearer token must not be blank");
      }
      if (token.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
        throw new IllegalArgumentException(
            "the bearer token must consist of visible ASCII characters only"
                + " (no spaces or line breaks; a trailing newline from a file is a common cause)");
      }
    }

    // The token is a credential: it must not end up in a log through a record's generated toString.
    @Override
    public String toString() {
      return "BearerToken[***]";
    }
  }

  /** No authentication; chosen explicitly, never by default. */
  record Anonymous() implements Authentication {}
}
