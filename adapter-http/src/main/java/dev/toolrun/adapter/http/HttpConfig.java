package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

/**
 * Where the REST API listens and how it protects itself.
 *
 * @param host the interface to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port the port to bind; 0 picks a free one
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param authentication how clients authenticate
 * @param connections the deadlines and limits of the server's connections
 */
public record HttpConfig(
    String host,
    int port,
    long maxBodyBytes,
    Authentication authentication,
    ConnectionPolicy connections) {
  /** 1 MiB: a tool spec with an inline script of the maximum size fits, with room to spare. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  public HttpConfig {
    requireNonNull(host, "host is null");
    requireNonNull(authentication, "authentication is null");
    requireNonNull(connections, "connections is null");
    if (host.isBlank()) {
      throw new IllegalArgumentException("the HTTP host must not be blank");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("the HTTP port must be between 0 and 65535, was " + port);
    }
    if (maxBodyBytes < 1) {
      throw new IllegalArgumentException(
          "the maximum request body size must be at least 1 byte, was " + maxBodyBytes);
    }
  }

  /** A configuration with the default connection policy. */
  public HttpConfig(String host, int port, long maxBodyBytes, Authentication authentication) {
    this(host, port, maxBodyBytes, authentication, ConnectionPolicy.DEFAULT);
  }

  /** A configuration with the default body limit and connection policy. */
  public HttpConfig(String host, int port, Authentication authentication) {
    this(host, port, DEFAULT_MAX_BODY_BYTES, authentication);
  }
}
