package dev.toolrun.adapter.metrics;

/**
 * Whether toolrun measures itself.
 *
 * @param enabled when false, nothing is measured: the core is given {@link
 *     dev.toolrun.ports.out.RunMetrics#NONE}, Vert.x runs without metrics, and the exposition is
 *     empty (how the cost of metrics is measured, docs/benchmarks.md)
 */
public record MetricsConfig(boolean enabled) {
  public static final MetricsConfig DEFAULT = new MetricsConfig(true);
}
