package dev.toolrun.bench.cluster;

import java.util.Locale;

/**
 * The figures {@link ClusterBench} can measure, named in {@code BENCH_FIGURES} by their lower-case
 * names.
 */
enum Figure {
  /** From a Job's terminal condition to toolrun's instance reaching its terminal state. */
  LATENCY,
  /** N runs at once through toolrun against the same N Jobs applied with kubectl. */
  THROUGHPUT,
  /** toolrun's heap with a namespace full of finished Jobs against an empty one. */
  MEMORY,
  /** fabric8's Vert.x 5 HTTP client against its JDK client, reading from the API server. */
  CLIENT;

  static Figure named(String name) {
    return valueOf(name.trim().toUpperCase(Locale.ROOT));
  }
}
