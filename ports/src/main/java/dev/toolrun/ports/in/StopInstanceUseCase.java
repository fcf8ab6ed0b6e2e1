package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;

/**
 * Stops a service instance: it takes no new requests (STOPPING), its requests in flight may finish
 * within its request timeout, then its workload is removed and it ends STOPPED. Stopping a stopped
 * instance again changes nothing.
 */
public interface StopInstanceUseCase {

  /**
   * Starts stopping the instance and returns at once; a waiting instance is stopped at once.
   *
   * @return the instance as it is now: STOPPING, or STOPPED
   * @throws dev.toolrun.domain.error.InstanceNotFoundException when there is no such instance
   * @throws dev.toolrun.domain.error.IllegalTransitionException when it is a task (tasks are
   *     cancelled) or already ended otherwise
   */
  InstanceView stop(StopInstanceCommand command);

  /** Which instance. */
  record StopInstanceCommand(InstanceId id) {
    public StopInstanceCommand {
      requireNonNull(id, "id is null");
    }
  }
}
