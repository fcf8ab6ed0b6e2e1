package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.ports.in.ResizePoolUseCase;
import dev.toolrun.ports.out.PoolStatus;
import dev.toolrun.ports.out.WorkloadRuntime;

/** Hands a new pool size to the runtime, which keeps its pools, and answers with the pool. */
final class ResizePoolService implements ResizePoolUseCase {
  private final WorkloadRuntime runtime;

  ResizePoolService(WorkloadRuntime runtime) {
    this.runtime = requireNonNull(runtime, "runtime is null");
  }

  @Override
  public PoolStatus resize(ResizePoolCommand command) {
    runtime.resizePool(command.tool(), command.size());
    // A removed pool is no longer listed: its counts are gone with it.
    return runtime.pools().stream()
        .filter(p -> p.tool().equals(command.tool()))
        .findFirst()
        .orElse(new PoolStatus(command.tool(), 0, 0, 0, 0, 0, 0));
  }
}
