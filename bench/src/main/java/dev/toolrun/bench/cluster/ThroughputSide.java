package dev.toolrun.bench.cluster;

/** One side of the throughput figure: toolrun, or the bare Jobs it is measured against. */
sealed interface ThroughputSide permits ToolrunSide, BaselineSide {
  /** How the side is named in the result line's keys. */
  String name();

  /** Starts {@code n} trivial runs at once and waits until all have ended. */
  BatchOutcome run(int n, String batch);

  /** Waits until no Job or pod of the side is left, so that the next round starts alike. */
  void clear(int n);
}
