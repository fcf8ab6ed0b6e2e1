package dev.toolrun.domain.instance;

/** The closed set of reasons an instance can end without success; clients branch on these names. */
public enum FailureKind {
  /** The image could not be pulled (missing, private, or a bad reference). */
  IMAGE_PULL_FAILED,
  /** No node can take the workload (resources, selector, taints, affinity). */
  UNSCHEDULABLE,
  /** The container was killed for exceeding its memory limit. */
  OUT_OF_MEMORY,
  /** The task ran past its timeout. */
  DEADLINE_EXCEEDED,
  /** The process exited with a non-zero code. */
  EXITED_NON_ZERO,
  /** The instance was cancelled on request. */
  CANCELLED,
  /** A service's process kept exiting while it was started. */
  CRASH_LOOP,
  /** A service never passed, or stopped passing, its health checks. */
  HEALTH_CHECK_FAILED,
  /** The runtime failed for a reason of its own; the message says which. */
  RUNTIME_ERROR
}
