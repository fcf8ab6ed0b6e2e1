package dev.toolrun.bench.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure 2, throughput against the floor: N trivial runs submitted at once through toolrun, against
 * the same N bare Jobs applied and waited for with kubectl. The sides alternate, and the side that
 * goes first alternates too (toolrun, baseline; baseline, toolrun; ...), so a machine that gets
 * busier or quieter during the run favours neither; each batch starts with no Job or pod left, and
 * once the machine has gone quiet again (the node's own cleanup of the last batch done).
 */
final class ThroughputFigure {
  private static final Logger LOG = LoggerFactory.getLogger(ThroughputFigure.class);

  /** The size at which the target applies, and the target: toolrun within 10% of the floor. */
  private static final int TARGET_SIZE = 100;

  private static final double TARGET_RATIO = 1.1;

  /** The target for accepting the runs (toolrun's answers against kubectl apply's return). */
  private static final double SUBMIT_TARGET_RATIO = 1.5;

  /** The machine counts as quiet when its CPUs idle this share of a few seconds. */
  private static final double QUIET_IDLE = 0.8;

  private static final Duration QUIET_PATIENCE = Duration.ofSeconds(120);

  private final BenchSettings settings;
  private final ThroughputSide toolrun;
  private final ThroughputSide baseline;

  ThroughputFigure(BenchSettings settings, ToolrunSide toolrun, BaselineSide baseline) {
    this.settings = settings;
    this.toolrun = toolrun;
    this.baseline = baseline;
  }

  /**
   * How long N runs may take (the single node starts about 1.5 pods a second), or their cleanup.
   */
  static Duration patience(int n) {
    return Duration.ofSeconds(180 + 3L * n);
  }

  List<ResultLine> measure() {
    List<ResultLine> lines = new ArrayList<>();
    for (int n : settings.sizes()) {
      Map<ThroughputSide, List<BatchOutcome>> outcomes = new LinkedHashMap<>();
      int rounds = settings.roundsFor(n);
      int unsettled = 0;
      for (int round = 1; round <= rounds; round++) {
        List<ThroughputSide> order =
            round % 2 == 1 ? List.of(toolrun, baseline) : List.of(baseline, toolrun);
        for (ThroughputSide side : order) {
          if (!MachineQuiet.await(QUIET_IDLE, QUIET_PATIENCE)) {
            unsettled++;
            LOG.warn("the machine did not go quiet within {} s", QUIET_PATIENCE.toSeconds());
          }
          BatchOutcome outcome = side.run(n, "n" + n + "-r" + round);
          LOG.info(
              "throughput n={} round {}/{}: {} took {} s, of which {} s to submit",
              n,
              round,
              rounds,
              side.name(),
              String.format("%.2f", outcome.seconds()),
              String.format("%.2f", outcome.submittedSeconds()));
          outcomes.computeIfAbsent(side, s -> new ArrayList<>()).add(outcome);
          side.clear(n);
        }
      }
      lines.add(line(n, rounds, outcomes.get(toolrun), outcomes.get(baseline), unsettled));
    }
    return lines;
  }

  private static ResultLine line(
      int n, int rounds, List<BatchOutcome> toolrun, List<BatchOutcome> baseline, int unsettled) {
    Distribution ours = Distribution.of(toolrun.stream().map(BatchOutcome::seconds).toList());
    Distribution floor = Distribution.of(baseline.stream().map(BatchOutcome::seconds).toList());
    double ratio = ours.median() / floor.median();
    Distribution oursSubmit =
        Distribution.of(toolrun.stream().map(BatchOutcome::submittedSeconds).toList());
    Distribution floorSubmit =
        Distribution.of(baseline.stream().map(BatchOutcome::submittedSeconds).toList());
    double submitRatio = oursSubmit.median() / floorSubmit.median();
    ResultLine line =
        ResultLine.of("cluster.throughput")
            .with("n", n)
            .with("rounds", rounds)
            .seconds("toolrun_median_s", ours.median())
            .seconds("baseline_median_s", floor.median())
            .ratio("ratio", ratio)
            .seconds("toolrun_min_s", ours.min())
            .seconds("toolrun_max_s", ours.max())
            .seconds("baseline_min_s", floor.min())
            .seconds("baseline_max_s", floor.max())
            .millis("toolrun_per_run_ms", ours.median() * 1000 / n)
            .millis("baseline_per_run_ms", floor.median() * 1000 / n)
            .seconds("toolrun_submit_median_s", oursSubmit.median())
            .seconds("toolrun_submit_min_s", oursSubmit.min())
            .seconds("toolrun_submit_max_s", oursSubmit.max())
            .seconds("baseline_submit_median_s", floorSubmit.median())
            .seconds("baseline_submit_min_s", floorSubmit.min())
            .seconds("baseline_submit_max_s", floorSubmit.max())
            .ratio("submit_ratio", submitRatio)
            .with("unsettled_batches", unsettled)
            .with("not_succeeded", toolrun.stream().mapToLong(BatchOutcome::notSucceeded).sum());
    if (n == TARGET_SIZE) {
      line.ratio("target_ratio", TARGET_RATIO)
          .with("target_met", ratio <= TARGET_RATIO)
          .ratio("submit_target_ratio", SUBMIT_TARGET_RATIO)
          .with("submit_target_met", submitRatio <= SUBMIT_TARGET_RATIO);
    }
    return line;
  }
}
