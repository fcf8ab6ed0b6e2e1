package dev.toolrun.adapter.mcp;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.RuntimeCapabilities;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory runtime, unchanged, with a record of the secrets each launch handed it: the one
 * place a secret's value may reach, and the fake (rightly) never shows it.
 */
final class RecordingRuntime implements WorkloadRuntime {
  private final WorkloadRuntime delegate;
  private final Map<InstanceId, SecretValues> secrets = new ConcurrentHashMap<>();

  RecordingRuntime(WorkloadRuntime delegate) {
    this.delegate = requireNonNull(delegate, "delegate is null");
  }

  /** The secrets the launch of {@code id} was given, if it was launched. */
  Optional<SecretValues> secretsOf(InstanceId id) {
    return Optional.ofNullable(secrets.get(id));
  }

  @Override
  public RuntimeCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public void observe(RecordRunProgressUseCase listener) {
    delegate.observe(listener);
  }

  @Override
  public WorkloadStart launch(Launch launch) {
    secrets.put(launch.instance().id(), launch.secrets());
    return delegate.launch(launch);
  }

  @Override
  public boolean hasWorkload(InstanceId id) {
    return delegate.hasWorkload(id);
  }

  @Override
  public void terminate(InstanceId id) {
    delegate.terminate(id);
  }

  @Override
  public CompletionStage<ServiceResponse> send(
      InstanceId id, int port, ServiceRequest request, Duration timeout) {
    return delegate.send(id, port, request, timeout);
  }

  @Override
  public void restart(InstanceId id) {
    delegate.restart(id);
  }
}
