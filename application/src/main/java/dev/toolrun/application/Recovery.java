package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.PageRequest;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks up where a previous run of toolrun left off, before any request is answered: every instance
 * whose record says it is still going is matched with what the runtime has.
 *
 * <ul>
 *   <li>a workload exists: it is followed again (it holds capacity; a service is health-checked);
 *       what it did meanwhile arrives from the runtime;
 *   <li>not yet started (PENDING, CREATING): it is launched again, in the order it was first
 *       launched; launching adopts a workload that exists (and creates what a crash left out of
 *       it), and the deterministic workload name keeps it from running twice. With secret values,
 *       which are never stored, a workload that exists is followed, and one that does not cannot be
 *       created: the instance fails and says so. Secrets given by a Secret's reference are no
 *       obstacle: the reference is in the record;
 *   <li>no workload although it had one (STARTING, RUNNING, SERVING): it ended unseen, and fails
 *       with that reason;
 *   <li>STOPPING: the stop is finished.
 * </ul>
 */
final class Recovery {
  private static final Logger LOG = System.getLogger(Recovery.class.getName());

  private final InstanceRepository instances;
  private final ToolRepository tools;
  private final WorkloadRuntime runtime;
  private final InstanceStarter starter;
  private final ServiceInstanceHealthMonitor monitor;
  private final Clock clock;

  Recovery(
      InstanceRepository instances,
      ToolRepository tools,
      WorkloadRuntime runtime,
      InstanceStarter starter,
      ServiceInstanceHealthMonitor monitor,
      Clock clock) {
    this.instances = requireNonNull(instances, "instances is null");
    this.tools = requireNonNull(tools, "tools is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.starter = requireNonNull(starter, "starter is null");
    this.monitor = requireNonNull(monitor, "monitor is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  /** Recovers every active instance; call once, after the runtime observes and before serving. */
  void recover() {
    // The catalog first: one kept in the cluster is then whole before the first request is
    // answered (or the start fails, saying why), rather than loaded by that request.
    tools.listLatest(PageRequest.first(1));
    List<Instance> active = instances.listAll(InstanceFilter.active());
    active.sort(Comparator.comparing(Instance::createdAt).thenComparing(Instance::id));
    for (Instance instance : active) {
      try {
        recover(instance);
      } catch (InstanceNotFoundException | IllegalTransitionException e) {
        LOG.log(
            Level.DEBUG,
            "instance {0} changed while it was recovered: {1}",
            instance.id(),
            e.getMessage());
      }
    }
    if (!active.isEmpty()) {
      LOG.log(
          Level.INFO,
          "picked up {0} instance(s) that were active when toolrun last stopped",
          active.size());
    }
  }

  private void recover(Instance instance) {
    boolean hasWorkload = runtime.hasWorkload(instance.id());
    switch (instance.state()) {
      case PENDING, CREATING -> {
        if (hasWorkload && instance.needsSecretValues()) {
          follow(instance);
        } else {
          relaunch(instance);
        }
      }
      case STARTING, RUNNING, SERVING -> {
        if (hasWorkload) {
          follow(instance);
        } else {
          fail(instance, "its workload disappeared while toolrun was not running");
        }
      }
      case STOPPING -> {
        starter.terminate(instance.id());
        instances.update(
            instance.id(),
            i ->
                i.state() == InstanceState.STOPPING
                    ? i.transitionTo(InstanceState.STOPPED, clock.instant())
                    : i);
      }
      case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, STOPPED -> {
        // Ended: nothing to recover.
      }
    }
  }

  private void follow(Instance instance) {
    starter.occupy(instance);
    if (instance.mode() == ToolMode.SERVICE) {
      monitor.watch(instance.id());
    }
  }

  private void relaunch(Instance instance) {
    if (instance.needsSecretValues()) {
      fail(
          instance,
          "toolrun restarted before this instance's workload was created; secret values are never"
              + " stored, so launch it again");
      return;
    }
    Optional<Tool> tool =
        tools.versions(instance.toolName()).stream()
            .filter(t -> t.version() == instance.toolVersion())
            .findFirst();
    if (tool.isEmpty()) {
      fail(instance, "its tool version was deleted before it could start");
      return;
    }
    if (instance.mode() == ToolMode.SERVICE) {
      monitor.watch(instance.id());
    }
    starter.submit(new Launch(instance, tool.get(), SecretValues.NONE));
  }

  private void fail(Instance instance, String why) {
    LOG.log(Level.WARNING, "instance {0} failed during recovery: {1}", instance.id(), why);
    instances.update(
        instance.id(),
        i ->
            i.isTerminal()
                ? i
                : i.fail(new FailureReason.RuntimeError(why), Optional.empty(), clock.instant()));
  }
}
