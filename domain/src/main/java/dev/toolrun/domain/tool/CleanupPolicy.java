package dev.toolrun.domain.tool;

/** Which finished runs have their runtime objects (Job, pods, ConfigMap, Secret) deleted. */
public enum CleanupPolicy {
  /** Delete after every terminal state. */
  ALWAYS,
  /** Delete after success; keep failed runs for inspection. */
  ON_SUCCESS,
  /** Delete after failure; keep successful runs. */
  ON_FAILURE,
  /** Never delete; the operator cleans up. */
  NEVER;

  /** Whether a run that ended successfully ({@code succeeded}) or not is to be deleted. */
  public boolean deletes(boolean succeeded) {
    return switch (this) {
      case ALWAYS -> true;
      case ON_SUCCESS -> succeeded;
      case ON_FAILURE -> !succeeded;
      case NEVER -> false;
    };
  }
}
