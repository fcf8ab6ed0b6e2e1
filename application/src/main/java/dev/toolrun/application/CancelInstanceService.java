package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.out.InstanceRepository;
import java.time.Clock;
import java.util.Optional;

/**
 * Cancels task instances. The record turns CANCELLED first, so whatever the workload does
 * afterwards (its pods are being killed) cannot make it FAILED; then the workload is removed.
 */
final class CancelInstanceService implements CancelInstanceUseCase {
  private final InstanceRepository instances;
  private final InstanceStarter starter;
  private final Clock clock;

  CancelInstanceService(InstanceRepository instances, InstanceStarter starter, Clock clock) {
    this.instances = requireNonNull(instances, "instances is null");
    this.starter = requireNonNull(starter, "starter is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public InstanceView cancel(CancelInstanceCommand command) {
    Instance current =
        instances.find(command.id()).orElseThrow(() -> new InstanceNotFoundException(command.id()));
    if (current.mode() == ToolMode.SERVICE) {
      throw new IllegalTransitionException(current.id(), current.state(), InstanceState.CANCELLED);
    }
    if (current.state() == InstanceState.CANCELLED) {
      return new InstanceView(current, Optional.empty());
    }
    boolean wasWaiting = starter.withdraw(command.id());
    Instance cancelled =
        instances.update(
            command.id(),
            i ->
                i.state() == InstanceState.CANCELLED
                    ? i
                    : i.fail(new FailureReason.Cancelled(), Optional.empty(), clock.instant()));
    starter.ended(command.id());
    if (!wasWaiting) {
      starter.terminate(command.id());
    }
    return new InstanceView(cancelled, Optional.empty());
  }
}
