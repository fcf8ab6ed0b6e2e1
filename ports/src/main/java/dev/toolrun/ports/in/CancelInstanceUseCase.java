package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;

/**
 * Cancels a task instance: it ends CANCELLED and its workload is removed. Cancelling a cancelled
 * instance again changes nothing.
 */
public interface CancelInstanceUseCase {

  /**
   * Cancels the instance.
   *
   * @return the instance after the cancellation
   * @throws dev.toolrun.domain.error.InstanceNotFoundException when there is no such instance
   * @throws dev.toolrun.domain.error.IllegalTransitionException when it already ended otherwise, or
   *     is a service (services are stopped, not cancelled)
   */
  InstanceView cancel(CancelInstanceCommand command);

  /** Which instance. */
  record CancelInstanceCommand(InstanceId id) {
    public CancelInstanceCommand {
      requireNonNull(id, "id is null");
    }
  }
}
