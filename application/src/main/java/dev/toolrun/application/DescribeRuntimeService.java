package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.ports.in.DescribeRuntimeUseCase;
import dev.toolrun.ports.out.WorkloadRuntime;

/** Describes the runtime, its warm pools and the admission caps toolrun applies to it. */
final class DescribeRuntimeService implements DescribeRuntimeUseCase {
  private final WorkloadRuntime runtime;
  private final Admission admission;

  DescribeRuntimeService(WorkloadRuntime runtime, Admission admission) {
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.admission = requireNonNull(admission, "admission is null");
  }

  @Override
  public RuntimeDescription describe() {
    return new RuntimeDescription(
        runtime.capabilities(),
        admission.cap(ToolMode.SERVICE),
        admission.cap(ToolMode.TASK),
        runtime.pools());
  }
}
