package dev.toolrun.bench.cluster;

import dev.toolrun.domain.instance.InstanceState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure 1, status latency: from the API server recording a Job's terminal condition to toolrun's
 * instance reaching its terminal state, both seen as the arrival of a watch event in this process
 * ({@link TerminalEventWatch}). toolrun stores the terminal state in its record before anything
 * else sees it, so the record's event is the earliest outside sign of it.
 *
 * <p>Runs go in small batches, each waited for, so the figure is toolrun's reaction and not a
 * queue; one batch first warms toolrun up and is not counted, as a long-running service is warm.
 */
final class StatusLatencyFigure {
  private static final Logger LOG = LoggerFactory.getLogger(StatusLatencyFigure.class);
  private static final double TARGET_P99_MS = 200;
  private static final Duration BATCH_PATIENCE = Duration.ofMinutes(5);

  private final ToolrunApi api;
  private final TerminalEventWatch watch;
  private final int runs;
  private final int batchSize;

  StatusLatencyFigure(ToolrunApi api, TerminalEventWatch watch, int runs, int batchSize) {
    this.api = api;
    this.watch = watch;
    this.runs = runs;
    this.batchSize = batchSize;
  }

  /**
   * One run: toolrun's lag behind the Job, and how long after the Job's stamped transition its
   * record ended.
   */
  private record Sample(double latencyMillis, double sinceTransitionMillis, boolean succeeded) {}

  ResultLine measure() {
    LOG.info("status latency: warming up with {} runs", batchSize);
    runBatch(batchSize);
    List<Sample> samples = new ArrayList<>();
    while (samples.size() < runs) {
      samples.addAll(runBatch(Math.min(batchSize, runs - samples.size())));
      LOG.info("status latency: {} of {} runs", samples.size(), runs);
    }
    Distribution latency = Distribution.of(samples.stream().map(Sample::latencyMillis).toList());
    Distribution sinceTransition =
        Distribution.of(samples.stream().map(Sample::sinceTransitionMillis).toList());
    return ResultLine.of("cluster.status_latency")
        .with("runs", runs)
        .with("batch", batchSize)
        .with("warmup_runs", batchSize)
        .millis("p50_ms", latency.percentile(50))
        .millis("p90_ms", latency.percentile(90))
        .millis("p99_ms", latency.percentile(99))
        .millis("max_ms", latency.max())
        .millis("min_ms", latency.min())
        .millis("target_p99_ms", TARGET_P99_MS)
        .with("target_met", latency.percentile(99) <= TARGET_P99_MS)
        .millis("since_transition_p50_ms", sinceTransition.median())
        .millis("since_transition_max_ms", sinceTransition.max())
        .with("not_succeeded", samples.stream().filter(s -> !s.succeeded()).count());
  }

  private List<Sample> runBatch(int size) {
    List<String> ids =
        Await.within(BATCH_PATIENCE, size + " launches", api.launchAll(TrivialRun.TOOL, size));
    List<Sample> samples = new ArrayList<>();
    for (String id : ids) {
      TerminalEventWatch.JobEnd job =
          Await.within(BATCH_PATIENCE, "the Job of " + id + " to end", watch.jobEnd(id));
      TerminalEventWatch.RecordEnd record =
          Await.within(BATCH_PATIENCE, "the record of " + id + " to end", watch.recordEnd(id));
      samples.add(
          new Sample(
              record.arrival().millisSince(job.arrival()),
              Duration.between(job.lastTransitionTime(), record.arrival().wallClock()).toNanos()
                  / 1e6,
              record.state() == InstanceState.SUCCEEDED));
    }
    return samples;
  }
}
