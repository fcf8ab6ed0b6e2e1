package dev.toolrun.bench.cluster;

import java.time.Instant;

/**
 * When the driver received a watch event: {@code nanoTime} to subtract from other arrivals in this
 * process, the wall clock to compare with the API server's timestamps (same machine, same clock).
 */
record Arrival(long nanoTime, Instant wallClock) {
  static Arrival now() {
    return new Arrival(System.nanoTime(), Instant.now());
  }

  double millisSince(Arrival earlier) {
    return (nanoTime - earlier.nanoTime) / 1e6;
  }
}
