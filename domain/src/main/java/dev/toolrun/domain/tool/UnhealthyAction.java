package dev.toolrun.domain.tool;

/**
 * What happens to a service instance whose health checks failed {@code failureThreshold} times in a
 * row.
 */
public enum UnhealthyAction {
  /** Replace the workload and start again, up to the service's restart limit. */
  RESTART,
  /** End the instance as FAILED. */
  FAIL
}
