package dev.toolrun.bench.cluster;

import java.util.Collection;
import java.util.List;

/**
 * Repeated measurements of one quantity. Percentiles are nearest-rank: always one of the measured
 * values, so the median of three rounds is the middle round and p99 of 100 runs the 99th.
 */
record Distribution(List<Double> sorted) {
  Distribution {
    sorted = sorted.stream().sorted().toList();
    if (sorted.isEmpty()) {
      throw new IllegalArgumentException("a distribution needs at least one value");
    }
  }

  static Distribution of(Collection<Double> values) {
    return new Distribution(List.copyOf(values));
  }

  double percentile(double percent) {
    int rank = (int) Math.ceil(percent / 100 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }

  double median() {
    return percentile(50);
  }

  double min() {
    return sorted.get(0);
  }

  double max() {
    return sorted.get(sorted.size() - 1);
  }

  int count() {
    return sorted.size();
  }
}
