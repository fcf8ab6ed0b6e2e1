package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.CheckReadinessUseCase;
import dev.toolrun.ports.in.DeleteToolUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase;
import dev.toolrun.ports.out.Leadership;
import dev.toolrun.ports.out.RuntimeOutage;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Refuses the use cases that must reach the runtime while the runtime knows it cannot, at once and
 * with the outage's reason, instead of letting every caller wait out the runtime's retries in turn.
 * Reads go on: they are answered from what toolrun holds. Runs in flight are not touched: their
 * progress is kept by the runtime's own retries and catch-up when it is reachable again.
 *
 * <p>It refuses the same writes, the same way, while this toolrun is not the writer ({@link
 * Leadership}): a standby replica, or one that is shutting down. The caller is told to try again,
 * as the writer is elected within seconds. A standby is still ready, and says it stands by: callers
 * find the leader by its pod's role label, and a rollout counts the standby as available.
 */
final class RuntimeGate implements CheckReadinessUseCase {
  /** What a refused caller is told to wait: about how long an outage takes to be seen gone. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final WorkloadRuntime runtime;
  private final Leadership leadership;

  RuntimeGate(WorkloadRuntime runtime, Leadership leadership) {
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.leadership = requireNonNull(leadership, "leadership is null");
  }

  @Override
  public Readiness check() {
    List<String> problems = new ArrayList<>(2);
    Optional<Leadership.Role> role = leadership.role();
    if (!role.equals(Optional.of(Leadership.Role.STANDBY))) {
      leadership.notWriting().ifPresent(problems::add);
    }
    runtime.outage().ifPresent(outage -> problems.add(outage.reason()));
    return new Readiness(problems).in(role);
  }

  /**
   * Throws when this toolrun is not the writer, or the runtime knows it is unreachable; {@code
   * doing} names what was refused.
   */
  void requireReachable(String doing) {
    String notWriting = leadership.notWriting().orElse(null);
    if (notWriting != null) {
      throw RuntimeUnavailableException.refused(
          "cannot %s now: %s".formatted(doing, notWriting), RETRY_AFTER);
    }
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
