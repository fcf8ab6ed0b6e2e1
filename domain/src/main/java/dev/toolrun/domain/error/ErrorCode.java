package dev.toolrun.domain.error;

/**
 * Stable, machine-readable codes of the domain's errors.
 *
 * <p>Clients branch on these codes, so a published constant is never renamed or reused.
 */
public enum ErrorCode {
  /** No tool with the requested name (or version) is registered. */
  TOOL_NOT_FOUND,
  /** No instance with the requested id exists. */
  INSTANCE_NOT_FOUND,
  /** The instance's lifecycle does not allow the requested change of state. */
  ILLEGAL_TRANSITION,
  /** The input broke one or more rules; every violation is listed. */
  VALIDATION_FAILED,
  /** The request conflicts with the current state of a resource. */
  CONFLICT,
  /** The workload runtime (e.g. the Kubernetes API server) cannot be reached right now. */
  RUNTIME_UNAVAILABLE,
  /** The workload runtime refused the operation (forbidden, quota exceeded, invalid object). */
  RUNTIME_REJECTED,
  /** The service instance is not in a state in which it accepts requests. */
  INSTANCE_NOT_SERVING,
  /** The service instance already has its maximum of requests in flight. */
  TOO_MANY_REQUESTS,
  /** The service instance did not answer within the request timeout. */
  REQUEST_TIMED_OUT,
  /**
   * The request could not be delivered to the service instance, or its answer could not be read.
   */
  UPSTREAM_FAILED,
  /**
   * The instance records held in memory are at their budget; a launch is refused until runs end and
   * retention removes old records.
   */
  MEMORY_BUDGET_EXCEEDED
}
