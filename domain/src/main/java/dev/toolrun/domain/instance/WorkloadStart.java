package dev.toolrun.domain.instance;

/**
 * How an instance's workload was started: on a pre-started pool pod that took the run ({@code
 * WARM}), or created for it ({@code COLD}). Both run the same command with the same inputs; only
 * the time to the tool's first instruction differs.
 */
public enum WorkloadStart {
  WARM,
  COLD
}
