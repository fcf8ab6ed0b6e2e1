package dev.toolrun.bench.cluster;

import java.util.Map;

/**
 * The toolrun settings the benchmark changes from their defaults, so that N launches at once are
 * all admitted and toolrun's own rate limiter does not hold back what kubectl sends unthrottled.
 *
 * @param maxTasks {@code capacity.max-tasks}: above the largest batch, so no launch waits in
 *     PENDING
 * @param apiQps {@code kubernetes.api-qps}
 * @param apiBurst {@code kubernetes.api-burst}
 */
record ToolrunTuning(int maxTasks, double apiQps, int apiBurst) {
  ToolrunTuning {
    if (maxTasks < 1 || !(apiQps > 0) || apiBurst < 1) {
      throw new IllegalArgumentException(
          "invalid toolrun tuning: " + maxTasks + ", " + apiQps + ", " + apiBurst);
    }
  }

  /** As toolrun's environment variables. */
  Map<String, String> environment() {
    return Map.of(
        "TOOLRUN_CAPACITY_MAX_TASKS", Integer.toString(maxTasks),
        "TOOLRUN_KUBERNETES_API_QPS", Double.toString(apiQps),
        "TOOLRUN_KUBERNETES_API_BURST", Integer.toString(apiBurst));
  }
}
