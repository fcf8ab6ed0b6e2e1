package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.ports.in.ResizePoolUseCase;
import dev.toolrun.ports.out.PoolStatus;
import dev.toolrun.ports.out.RunMetrics;
import dev.toolrun.ports.out.WorkloadRuntime;

/**
 * Hands a new pool size to the runtime, which keeps its pools, and answers with the pool; the
 * metrics are told, since the pool may be new to them.
 */
final class ResizePoolService implements ResizePoolUseCase {
  private final WorkloadRuntime runtime;
  private final RunMetrics metrics;

  ResizePoolService(WorkloadRuntime runtime, RunMetrics metrics) {
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
  }

  /** Hands the runtime's pools, as they are and will be, to the metrics. */
  void measure() {
    metrics.pools(runtime::pools);
  }

  @Override
  public PoolStatus resize(ResizePoolCommand command) {
    runtime.resizePool(command.tool(), command.size());
    measure();
    // A removed pool is no longer listed: its counts are gone with it.
    return runtime.pools().stream()
        .filter(p -> p.tool().equals(command.tool()))
        .findFirst()
        .orElse(new PoolStatus(command.tool(), 0, 0, 0, 0, 0, 0));
  }
}
