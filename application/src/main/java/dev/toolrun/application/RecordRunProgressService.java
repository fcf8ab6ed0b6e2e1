package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.InstanceRepository;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * Applies what the runtime observed to the instance records. Observations only move an instance
 * forward; late, repeated or impossible ones are logged and dropped, never thrown back at the
 * runtime's event thread. Only an observation of an instance that has no record is: the runtime
 * must then leave that workload alone.
 */
final class RecordRunProgressService implements RecordRunProgressUseCase {
  private static final Logger LOG = System.getLogger(RecordRunProgressService.class.getName());

  private final InstanceRepository instances;
  private final InstanceStarter starter;
  private final ServiceInstanceDirectory services;
  private final ServiceInstanceHealthMonitor monitor;

  RecordRunProgressService(
      InstanceRepository instances,
      InstanceStarter starter,
      ServiceInstanceDirectory services,
      ServiceInstanceHealthMonitor monitor) {
    this.instances = requireNonNull(instances, "instances is null");
    this.starter = requireNonNull(starter, "starter is null");
    this.services = requireNonNull(services, "services is null");
    this.monitor = requireNonNull(monitor, "monitor is null");
  }

  @Override
  public void record(RunProgress progress) {
    try {
      Instance after = instances.update(progress.id(), i -> apply(i, progress));
      if (after.isTerminal()) {
        monitor.unwatch(after.id());
        services.forget(after.id());
        starter.ended(after.id());
      }
    } catch (IllegalTransitionException e) {
      LOG.log(Level.WARNING, "ignored an impossible observation: {0}", e.getMessage());
    }
  }

  /** The instance after {@code progress}, or unchanged when the observation is not news. */
  static Instance apply(Instance instance, RunProgress progress) {
    InstanceState observed = progress.observed();
    if (instance.isTerminal() || !observed.isAheadOf(instance.state())) {
      return instance;
    }
    if (instance.state() == InstanceState.STOPPING && observed.isTerminal()) {
      // A service being stopped ends STOPPED, whatever its workload did while it was torn down.
      return instance.transitionTo(InstanceState.STOPPED, progress.at());
    }
    if (!observed.isTerminal()) {
      return instance.advanceTo(observed, progress.at());
    }
    List<InstanceState> path =
        instance
            .state()
            .forwardPathTo(observed, instance.mode())
            .orElseThrow(
                () -> new IllegalTransitionException(instance.id(), instance.state(), observed));
    Instance beforeEnd = instance;
    for (InstanceState step : path.subList(0, path.size() - 1)) {
      beforeEnd = beforeEnd.transitionTo(step, progress.at());
    }
    return progress.failure().isPresent()
        ? beforeEnd.fail(progress.failure().get(), progress.exitCode(), progress.at())
        : beforeEnd.succeed(progress.result(), progress.at());
  }
}
