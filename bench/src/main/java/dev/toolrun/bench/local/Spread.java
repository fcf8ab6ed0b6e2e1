package dev.toolrun.bench.local;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The smallest, median and largest of repeated measurements. On a shared machine one sample says
 * little; the spread says how much to trust the median.
 */
record Spread(double min, double median, double max) {

  Spread {
    if (!(min <= median && median <= max)) {
      throw new IllegalArgumentException(
          "not a spread: min %s, median %s, max %s".formatted(min, median, max));
    }
  }

  /** The spread of {@code samples}; with an even count the median is the mean of the middle two. */
  static Spread of(List<Double> samples) {
    requireNonNull(samples, "samples is null");
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Double> sorted = samples.stream().sorted().toList();
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Spread(sorted.get(0), median, sorted.get(n - 1));
  }
}
