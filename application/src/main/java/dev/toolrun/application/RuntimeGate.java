package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.CheckReadinessUseCase;
import dev.toolrun.ports.in.DeleteToolUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase;
import dev.toolrun.ports.out.RuntimeOutage;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Duration;
import java.util.List;

/**
 * Refuses the use cases that must reach the runtime while the runtime knows it cannot, at once and
 * with the outage's reason, instead of letting every caller wait out the runtime's retries in turn.
 * Reads go on: they are answered from what toolrun holds. Runs in flight are not touched: their
 * progress is kept by the runtime's own retries and catch-up when it is reachable again.
 */
final class RuntimeGate implements CheckReadinessUseCase {
  /** What a refused caller is told to wait: about how long an outage takes to be seen gone. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final WorkloadRuntime runtime;

  RuntimeGate(WorkloadRuntime runtime) {
    this.runtime = requireNonNull(runtime, "runtime is null");
  }

  @Override
  public Readiness check() {
    return runtime
        .outage()
        .map(outage -> new Readiness(List.of(outage.reason())))
        .orElse(Readiness.READY);
  }

  /** Throws when the runtime knows it is unreachable; {@code doing} names what was refused. */
  void requireReachable(String doing) {
    RuntimeOutage outage = runtime.outage().orElse(null);
    if (outage != null) {
      throw RuntimeUnavailableException.refused(
          "cannot %s now: %s (since %s)".formatted(doing, outage.reason(), outage.since()),
          RETRY_AFTER);
    }
  }

  RegisterToolUseCase gated(RegisterToolUseCase useCase) {
    return command -> {
      requireReachable("register tool " + command.name());
      return useCase.register(command);
    };
  }

  DeleteToolUseCase gated(DeleteToolUseCase useCase) {
    return command -> {
      requireReachable("delete tool " + command.name());
      useCase.delete(command);
    };
  }

  LaunchInstanceUseCase gated(LaunchInstanceUseCase useCase) {
    return command -> {
      requireReachable("launch an instance of " + command.tool());
      return useCase.launch(command);
    };
  }

  CancelInstanceUseCase gated(CancelInstanceUseCase useCase) {
    return command -> {
      requireReachable("cancel instance " + command.id());
      return useCase.cancel(command);
    };
  }

  StopInstanceUseCase gated(StopInstanceUseCase useCase) {
    return command -> {
      requireReachable("stop instance " + command.id());
      return useCase.stop(command);
    };
  }
}
