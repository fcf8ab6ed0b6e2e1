package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How long the server waits for a client, and how many connections it holds, so that slow or
 * numerous clients cannot hold it hostage. Each deadline covers one phase of a connection's life
 * (the phases of Go's {@code http.Server}: idle, then headers, then body); none runs while a
 * request is being served, so a long service request or an event stream is never cut.
 *
 * @param headerTimeout from a new connection, or from the first byte of a later request, until the
 *     request's headers are complete; past it the server answers 408 and closes
 * @param bodyTimeout from the end of a request's headers until the end of its body; past it the
 *     server answers 408 and closes
 * @param idleTimeout from the end of a response until the first byte of the next request on a
 *     keep-alive connection; past it the server closes the connection without an answer
 * @param maxConnections open connections in all; one more gets 503 and is closed
 * @param maxConnectionsPerClient open connections from one client address; one more gets 429 and is
 *     closed (behind a proxy every client has the proxy's address)
 */
public record ConnectionPolicy(
    Duration headerTimeout,
    Duration bodyTimeout,
    Duration idleTimeout,
    int maxConnections,
    int maxConnectionsPerClient) {

  /** 10 s for headers, 60 s for a body, 60 s idle, 4096 connections, 1024 per client. */
  public static final ConnectionPolicy DEFAULT =
      new ConnectionPolicy(
          Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(60), 4096, 1024);

  public ConnectionPolicy {
    positive(headerTimeout, "header timeout");
    positive(bodyTimeout, "body timeout");
    positive(idleTimeout, "idle timeout");
    if (maxConnections < 1) {
      throw new IllegalArgumentException(
          "the maximum number of connections must be at least 1, was " + maxConnections);
    }
    if (maxConnectionsPerClient < 1 || maxConnectionsPerClient > maxConnections) {
      throw new IllegalArgumentException(
          "the maximum number of connections per client must be from 1 to the maximum in all (%d),"
                  .formatted(maxConnections)
              + " was "
              + maxConnectionsPerClient);
    }
  }

  private static void positive(Duration timeout, String name) {
    requireNonNull(timeout, name + " is null");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the " + name + " must be positive, was " + timeout);
    }
  }
}
