package dev.toolrun.adapter.metrics;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.FailureKind;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.out.PoolStatus;
import dev.toolrun.ports.out.RunMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * {@link RunMetrics} on Micrometer. The names are Micrometer's (dots), which the Prometheus
 * registry writes with units and suffixes: {@code toolrun.runs.launched} becomes {@code
 * toolrun_runs_launched_total}, {@code toolrun.run.phase} becomes {@code
 * toolrun_run_phase_seconds_bucket} and so on (the full list is in docs/operations.md).
 *
 * <p>Every label value is bounded: a tool's name (the catalog), a mode, a state, a failure kind, a
 * phase, an outcome, a status class; never an instance id. Label values are lower case, as
 * Prometheus' own are.
 */
final class MicrometerRunMetrics implements RunMetrics {
  /** Phases last from milliseconds (an in-memory run) to hours (a long task): fixed buckets. */
  private static final Duration[] PHASE_BUCKETS =
      Arrays.stream(
              new double[] {
                0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600,
                1800, 3600
              })
          .mapToObj(seconds -> Duration.ofNanos((long) (seconds * 1e9)))
          .toArray(Duration[]::new);

  private static final Duration[] REQUEST_BUCKETS =
      Arrays.stream(new double[] {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30})
          .mapToObj(seconds -> Duration.ofNanos((long) (seconds * 1e9)))
          .toArray(Duration[]::new);

  private final MeterRegistry registry;
  // The pools whose gauges are registered: each once, though the core tells every resize.
  private final Set<String> measuredPools = ConcurrentHashMap.newKeySet();

  MicrometerRunMetrics(MeterRegistry registry) {
    this.registry = requireNonNull(registry, "registry is null");
  }

  @Override
  public void launched(ToolName tool, ToolMode mode) {
    Counter.builder("toolrun.runs.launched")
        .description("Instances launched (their records stored)")
        .tag("tool", tool.value())
        .tag("mode", label(mode))
        .register(registry)
        .increment();
  }

  @Override
  public void ended(
      ToolName tool, ToolMode mode, InstanceState state, Optional<FailureKind> failure) {
    Counter.builder("toolrun.runs.ended")
        .description(
            "Instances that ended, by final state and failure kind (none when it did not fail)")
        .tag("tool", tool.value())
        .tag("mode", label(mode))
        .tag("state", label(state))
        .tag("failure", failure.map(MicrometerRunMetrics::label).orElse("none"))
        .register(registry)
        .increment();
  }

  @Override
  public void started(ToolName tool, WorkloadStart start) {
    Counter.builder("toolrun.runs.started")
        .description(
            "Instances whose workload the runtime started, warm (on a warm pool's pod) or cold")
        .tag("tool", tool.value())
        .tag("start", label(start))
        .register(registry)
        .increment();
  }

  @Override
  public void phase(Phase phase, ToolMode mode, Duration took) {
    Timer.builder("toolrun.run.phase")
        .description(
            "How long each phase of a run took: waiting_for_capacity, created_to_running,"
                + " running_to_ended, end_to_record_stored; observed once per run when it ends")
        .tag("phase", label(phase))
        .tag("mode", label(mode))
        .serviceLevelObjectives(PHASE_BUCKETS)
        .register(registry)
        .record(took);
  }

  @Override
  public void logLinesDropped(ToolName tool, ToolMode mode, long lines) {
    Counter.builder("toolrun.log.lines.dropped")
        .description(
            "Oldest log lines dropped to keep a run's log within its bound (logs.max-*), counted"
                + " when the run ends")
        .tag("tool", tool.value())
        .tag("mode", label(mode))
        .register(registry)
        .increment(lines);
  }

  @Override
  public void serviceRequest(
      ToolName tool, RequestOutcome outcome, Optional<Integer> status, Duration took) {
    Timer.builder("toolrun.service.requests")
        .description(
            "Requests forwarded to service instances, by outcome (too_many_requests is toolrun's"
                + " 429) and the service's status class")
        .tag("tool", tool.value())
        .tag("outcome", label(outcome))
        .tag("status", status.map(code -> code / 100 + "xx").orElse("none"))
        .serviceLevelObjectives(REQUEST_BUCKETS)
        .register(registry)
        .record(took);
  }

  @Override
  public void admission(AdmissionView admission) {
    requireNonNull(admission, "admission is null");
    for (ToolMode mode : ToolMode.values()) {
      Gauge.builder("toolrun.instances.active", admission, a -> a.active(mode))
          .description("Instances holding capacity (admitted and not ended)")
          // Held strongly: the registry would otherwise let the view go, and report NaN.
          .strongReference(true)
          .tag("mode", label(mode))
          .register(registry);
      Gauge.builder("toolrun.instances.pending", admission, a -> a.waiting(mode))
          .description("Instances waiting in the admission queue for capacity")
          .strongReference(true)
          .tag("mode", label(mode))
          .register(registry);
    }
    Gauge.builder(
            "toolrun.admission.queue.length",
            admission,
            a -> Arrays.stream(ToolMode.values()).mapToInt(a::waiting).sum())
        .description("Launches waiting in the admission queue, all modes")
        .strongReference(true)
        .register(registry);
  }

  /**
   * Registers the gauges of each pool not seen before; a pool removed later reads 0, as its pods
   * are gone.
   */
  @Override
  public void pools(PoolsView pools) {
    requireNonNull(pools, "pools is null");
    for (PoolStatus pool : pools.pools()) {
      String tool = pool.tool().value();
      if (!measuredPools.add(tool)) {
        continue;
      }
      poolGauge(
          "toolrun.pool.size",
          "Waiting pods a tool's warm pool keeps",
          tool,
          pools,
          PoolStatus::size);
      poolGauge(
          "toolrun.pool.ready",
          "Warm pool pods waiting and able to take a run now",
          tool,
          pools,
          PoolStatus::ready);
      poolGauge(
          "toolrun.pool.starting",
          "Warm pool pods made and not ready yet",
          tool,
          pools,
          PoolStatus::starting);
    }
  }

  private void poolGauge(
      String name,
      String description,
      String tool,
      PoolsView pools,
      ToIntFunction<PoolStatus> value) {
    Gauge.builder(
            name,
            pools,
            view ->
                view.pools().stream()
                    .filter(p -> p.tool().value().equals(tool))
                    .mapToInt(value)
                    .sum())
        .description(description)
        .strongReference(true)
        .tag("tool", tool)
        .register(registry);
  }

  private static String label(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }
}
