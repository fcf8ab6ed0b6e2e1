package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.StopInstanceUseCase;
import dev.toolrun.ports.out.InstanceRepository;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops service instances: STOPPING at once (no new requests, health checks end), then, once the
 * requests in flight have finished or the request timeout (and a half-second margin) has passed,
 * the workload is removed and the instance ends STOPPED.
 */
final class StopInstanceService implements StopInstanceUseCase {
  /**
   * The drain outlasts the request timeout by this much. Requests in flight started before the
   * stop, so their own timeouts end first and answer RequestTimeout; without the margin a loaded
   * machine could fire the drain's timer first, and removing the workload would fail them as reset
   * connections instead.
   */
  private static final Duration DRAIN_GRACE = Duration.ofMillis(500);

  private static final Logger LOG = System.getLogger(StopInstanceService.class.getName());

  private final InstanceRepository instances;
  private final InstanceStarter starter;
  private final ServiceInstanceDirectory directory;
  private final ServiceInstanceHealthMonitor monitor;
  private final Clock clock;

  StopInstanceService(
      InstanceRepository instances,
      InstanceStarter starter,
      ServiceInstanceDirectory directory,
      ServiceInstanceHealthMonitor monitor,
      Clock clock) {
    this.instances = requireNonNull(instances, "instances is null");
    this.starter = requireNonNull(starter, "starter is null");
    this.directory = requireNonNull(directory, "directory is null");
    this.monitor = requireNonNull(monitor, "monitor is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public InstanceView stop(StopInstanceCommand command) {
    InstanceId id = command.id();
    Instance current = instances.find(id).orElseThrow(() -> new InstanceNotFoundException(id));
    if (current.mode() != ToolMode.SERVICE) {
      throw new IllegalTransitionException(id, current.state(), InstanceState.STOPPING);
    }
    if (current.state() == InstanceState.STOPPED || current.state() == InstanceState.STOPPING) {
      return new InstanceView(current, Optional.empty());
    }
    if (starter.withdraw(id)) {
      Instance stopped =
          instances.update(id, i -> i.transitionTo(InstanceState.STOPPED, clock.instant()));
      directory.forget(id);
      monitor.unwatch(id);
      return new InstanceView(stopped, Optional.empty());
    }
    Instance stopping =
        instances.update(
            id,
            i ->
                i.state() == InstanceState.PENDING
                    ? i.transitionTo(InstanceState.STOPPED, clock.instant())
                    : i.transitionTo(InstanceState.STOPPING, clock.instant()));
    monitor.unwatch(id);
    if (stopping.state() == InstanceState.STOPPED) {
      directory.forget(id);
      starter.ended(id);
      return new InstanceView(stopping, Optional.empty());
    }
    Duration drain =
        directory.settings(id).map(s -> s.requestTimeout().plus(DRAIN_GRACE)).orElse(Duration.ZERO);
    CompletableFuture<Void> idle =
        directory
            .existingGate(id)
            .map(ServiceInstanceRequestGate::close)
            .orElse(CompletableFuture.completedFuture(null));
    idle.orTimeout(drain.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((done, timedOut) -> finish(id, timedOut != null));
    return new InstanceView(stopping, Optional.empty());
  }

  private void finish(InstanceId id, boolean drainTimedOut) {
    if (drainTimedOut) {
      LOG.log(
          Level.INFO, "instance {0} still had requests in flight when its drain time ran out", id);
    }
    directory.forget(id);
    starter.terminate(id);
    try {
      instances.update(
          id,
          i ->
              i.state() == InstanceState.STOPPING
                  ? i.transitionTo(InstanceState.STOPPED, clock.instant())
                  : i);
    } catch (InstanceNotFoundException e) {
      LOG.log(Level.WARNING, "instance {0} vanished while it was stopped", id);
    }
    starter.ended(id);
  }
}
