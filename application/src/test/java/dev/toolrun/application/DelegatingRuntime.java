package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.RuntimeCapabilities;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** A runtime that does what the one it wraps does; tests override the calls they interfere with. */
class DelegatingRuntime implements WorkloadRuntime {
  private final WorkloadRuntime runtime;

  DelegatingRuntime(WorkloadRuntime runtime) {
    this.runtime = requireNonNull(runtime, "runtime is null");
  }

  @Override
  public RuntimeCapabilities capabilities() {
    return runtime.capabilities();
  }

  @Override
  public void observe(RecordRunProgressUseCase listener) {
    runtime.observe(listener);
  }

  @Override
  public WorkloadStart launch(Launch launch) {
    return runtime.launch(launch);
  }

  @Override
  public void terminate(InstanceId id) {
    runtime.terminate(id);
  }

  @Override
  public boolean hasWorkload(InstanceId id) {
    return runtime.hasWorkload(id);
  }

  @Override
  public CompletionStage<ServiceResponse> send(
      InstanceId id, int port, ServiceRequest request, Duration timeout) {
    return runtime.send(id, port, request, timeout);
  }

  @Override
  public void restart(InstanceId id) {
    runtime.restart(id);
  }
}
