package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Where the REST API listens and how it protects itself.
 *
 * @param host the interface to bind, e.g. {@code 0.0.0.0} or {@code 127.0.0.1}
 * @param port the port to bind; 0 picks a free one
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param authentication how clients authenticate
 * @param connections the deadlines and limits of the server's connections
 * @param json how many JSON tokens a body may hold and how deep it may nest, checked before the
 *     body is mapped, so that a small body of many tiny values cannot cost the server many times
 *     its size in memory and CPU
 * @param streamHeartbeat how often an event stream that has nothing to send sends a comment, so
 *     that proxies and load balancers in between, which cut connections idle for long, keep it
 */
public record HttpConfig(
    String host,
    int port,
    long maxBodyBytes,
    Authentication authentication,
    ConnectionPolicy connections,
    JsonLimits json,
    Duration streamHeartbeat) {
  /** 1 MiB: a tool spec with an inline script of the maximum size fits, with room to spare. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

  /**
   * 15 s: well under the idle timeouts of common proxies (nginx's 60 s, an AWS load balancer's 60
   * s), at one short line per stream per interval.
   */
  public static final Duration DEFAULT_STREAM_HEARTBEAT = Duration.ofSeconds(15);

  public HttpConfig {
    requireNonNull(host, "host is null");
    requireNonNull(authentication, "authentication is null");
    requireNonNull(connections, "connections is null");
    requireNonNull(json, "json is null");
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
    requireNonNull(streamHeartbeat, "streamHeartbeat is null");
    if (streamHeartbeat.isNegative() || streamHeartbeat.isZero()) {
      throw new IllegalArgumentException(
          "the event stream heartbeat must be positive, was " + streamHeartbeat);
    }
  }

  /** A configuration with the default JSON limits and event stream heartbeat. */
  public HttpConfig(
      String host,
      int port,
      long maxBodyBytes,
      Authentication authentication,
      ConnectionPolicy connections) {
    this(
        host,
        port,
        maxBodyBytes,
        authentication,
        connections,
        JsonLimits.DEFAULT,
        DEFAULT_STREAM_HEARTBEAT);
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
