package dev.toolrun.adapter.http.connection;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open connections of a server, in all and per client address, against their limits. Shared by
 * every event loop of the server, so it is thread-safe; a client's entry goes when its last
 * connection does, so addresses that come and go leave nothing behind.
 */
final class ConnectionCount {
  /** What became of a new connection. */
  enum Admission {
    ADMITTED,
    SERVER_FULL,
    CLIENT_FULL
  }

  private final int max;
  private final int maxPerClient;
  private final AtomicInteger total = new AtomicInteger();
  private final ConcurrentMap<String, Integer> perClient = new ConcurrentHashMap<>();

  ConnectionCount(int max, int maxPerClient) {
    this.max = max;
    this.maxPerClient = maxPerClient;
  }

  /** Counts a new connection of {@code client} unless a limit is reached; then counts nothing. */
  Admission admit(String client) {
    if (total.incrementAndGet() > max) {
      total.decrementAndGet();
      return Admission.SERVER_FULL;
    }
    boolean[] full = {false};
    perClient.compute(
        client,
        (address, open) -> {
          int now = open == null ? 0 : open;
          if (now >= maxPerClient) {
            full[0] = true;
            return now;
          }
          return now + 1;
        });
    if (full[0]) {
      total.decrementAndGet();
      return Admission.CLIENT_FULL;
    }
    return Admission.ADMITTED;
  }

  /** Uncounts a connection that {@link #admit} admitted, once it closed. */
  void release(String client) {
    perClient.computeIfPresent(client, (address, open) -> open <= 1 ? null : open - 1);
    total.decrementAndGet();
  }
}
