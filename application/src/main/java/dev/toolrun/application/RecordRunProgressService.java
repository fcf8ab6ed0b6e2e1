package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.JsonSchema;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.SchemaValidator;
import dev.toolrun.ports.out.ToolRepository;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Applies what the runtime observed to the instance records. Observations only move an instance
 * forward; late, repeated or impossible ones are logged and dropped, never thrown back at the
 * runtime's event thread. Only an observation of an instance that has no record is: the runtime
 * must then leave that workload alone.
 *
 * <p>A result is checked against its tool's output schema before it is recorded; one that breaks it
 * is recorded all the same, flagged with its violations.
 */
final class RecordRunProgressService implements RecordRunProgressUseCase {
  private static final Logger LOG = System.getLogger(RecordRunProgressService.class.getName());

  private final InstanceRepository instances;
  private final InstanceStarter starter;
  private final ServiceInstanceDirectory services;
  private final ServiceInstanceHealthMonitor monitor;
  private final ToolRepository tools;
  private final SchemaValidator schemas;

  RecordRunProgressService(
      InstanceRepository instances,
      InstanceStarter starter,
      ServiceInstanceDirectory services,
      ServiceInstanceHealthMonitor monitor,
      ToolRepository tools,
      SchemaValidator schemas) {
    this.tools = requireNonNull(tools, "tools is null");
    this.schemas = requireNonNull(schemas, "schemas is null");
    this.instances = requireNonNull(instances, "instances is null");
    this.starter = requireNonNull(starter, "starter is null");
    this.services = requireNonNull(services, "services is null");
    this.monitor = requireNonNull(monitor, "monitor is null");
  }

  @Override
  public void record(RunProgress observed) {
    try {
      RunProgress progress = checkResult(observed);
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

  /**
   * {@code progress} with its result flagged when it breaks the output schema of the tool version
   * the instance ran. A result of an instance without a record, or of a tool version since deleted,
   * is passed on unchecked.
   */
  private RunProgress checkResult(RunProgress progress) {
    if (progress.result().isEmpty()) {
      return progress;
    }
    ToolResult result = progress.result().get();
    Optional<JsonSchema> schema =
        instances
            .find(progress.id())
            .flatMap(
                instance ->
                    tools.versions(instance.toolName()).stream()
                        .filter(tool -> tool.version() == instance.toolVersion())
                        .findFirst())
            .map(Tool::spec)
            .flatMap(ToolSpec::outputSchema);
    if (schema.isEmpty()) {
      return progress;
    }
    List<Violation> violations;
    try {
      violations = schemas.validateJson(schema.get(), result.json());
    } catch (IllegalArgumentException e) {
      // The schema was accepted at registration; if it cannot be used now, the result still counts.
      LOG.log(
          Level.WARNING, "could not check the result of {0}: {1}", progress.id(), e.getMessage());
      return progress;
    }
    if (violations.isEmpty()) {
      return progress;
    }
    return new RunProgress(
        progress.id(),
        progress.observed(),
        progress.at(),
        progress.failure(),
        progress.exitCode(),
        Optional.of(result.flagged(violations)),
        progress.startedAt());
  }

  /** The instance after {@code progress}, or unchanged when the observation is not news. */
  static Instance apply(Instance recorded, RunProgress progress) {
    InstanceState observed = progress.observed();
    if (recorded.isTerminal() || !observed.isAheadOf(recorded.state())) {
      return recorded;
    }
    if (recorded.state() == InstanceState.STOPPING && observed.isTerminal()) {
      // A service being stopped ends STOPPED, whatever its workload did while it was torn down.
      return recorded.transitionTo(InstanceState.STOPPED, progress.at());
    }
    Instance instance = ranFrom(recorded, progress);
    if (!observed.isAheadOf(instance.state())) {
      return instance;
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

  /**
   * The instance RUNNING since its process started, when {@code progress} knows when that was and
   * the instance was not seen RUNNING yet: a quick task has ended before its first observation, and
   * its history still says when it ran. The time is kept between the last recorded step and the
   * observation, so that a clock that differs from the node's never puts history out of order.
   */
  private static Instance ranFrom(Instance instance, RunProgress progress) {
    if (progress.startedAt().isEmpty()
        || !InstanceState.RUNNING.isAheadOf(instance.state())
        || InstanceState.RUNNING.isAheadOf(progress.observed())) {
      return instance;
    }
    Instant start = progress.startedAt().get();
    Instant at =
        start.isAfter(progress.at())
            ? progress.at()
            : start.isBefore(instance.updatedAt()) ? instance.updatedAt() : start;
    return instance.state().forwardPathTo(InstanceState.RUNNING, instance.mode()).isPresent()
        ? instance.advanceTo(InstanceState.RUNNING, at)
        : instance;
  }
}
