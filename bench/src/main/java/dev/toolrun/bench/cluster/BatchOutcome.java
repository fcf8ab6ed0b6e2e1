package dev.toolrun.bench.cluster;

import java.time.Duration;

/**
 * One batch of one side of the throughput figure.
 *
 * @param elapsed from just before the first submit until the last run was seen ended
 * @param submitted from just before the first submit until every run was accepted (toolrun answered
 *     every launch; kubectl apply returned): how much of {@code elapsed} was spent handing runs
 *     over
 * @param notSucceeded runs that ended otherwise than successfully
 */
record BatchOutcome(Duration elapsed, Duration submitted, long notSucceeded) {
  double seconds() {
    return elapsed.toNanos() / 1e9;
  }

  double submittedSeconds() {
    return submitted.toNanos() / 1e9;
  }
}
