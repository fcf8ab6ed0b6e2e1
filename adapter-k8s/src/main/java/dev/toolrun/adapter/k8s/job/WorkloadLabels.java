package dev.toolrun.adapter.k8s.job;

import dev.toolrun.domain.instance.InstanceId;
import java.util.Map;
import java.util.Optional;

/**
 * The names and labels that tie Kubernetes objects to toolrun instances: every object of an
 * instance is named after its id and carries the labels below, which informers select on.
 */
public final class WorkloadLabels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "toolrun";
  public static final String INSTANCE = "toolrun.dev/instance";
  public static final String TOOL = "toolrun.dev/tool";
  public static final String TOOL_VERSION = "toolrun.dev/tool-version";

  /** {@code task} or {@code service}: how a Job's pods are read. */
  public static final String MODE = "toolrun.dev/mode";

  /**
   * On a warm pool's Jobs and pods: {@value #POOL_WAITING} while one waits for a run, {@value
   * #POOL_CLAIMED} once a run took it.
   */
  public static final String POOL = "toolrun.dev/pool";

  public static final String POOL_WAITING = "waiting";
  public static final String POOL_CLAIMED = "claimed";

  /** The selector of everything toolrun manages. */
  public static final Map<String, String> SELECTOR = Map.of(MANAGED_BY, MANAGER);

  private static final String NAME_PREFIX = "toolrun-";

  private WorkloadLabels() {}

  /**
   * The name of the Job, ConfigMap and Secret of instance {@code id}: deterministic, so a repeated
   * launch finds what the first one created, and 44 characters, within the 63 a Job name may have.
   */
  public static String objectName(InstanceId id) {
    return NAME_PREFIX + id.value();
  }

  /** The tool whose pool an object waits in, read from its labels; empty once it was claimed. */
  public static Optional<String> waitingPool(Map<String, String> labels) {
    if (labels == null
        || !MANAGER.equals(labels.get(MANAGED_BY))
        || !POOL_WAITING.equals(labels.get(POOL))
        || labels.containsKey(INSTANCE)) {
      return Optional.empty();
    }
    return Optional.ofNullable(labels.get(TOOL));
  }

  /** The instance an object belongs to, read from its labels. */
  public static Optional<InstanceId> instanceOf(Map<String, String> labels) {
    if (labels == null || !MANAGER.equals(labels.get(MANAGED_BY))) {
      return Optional.empty();
    }
    String id = labels.get(INSTANCE);
    try {
      return id == null ? Optional.empty() : Optional.of(new InstanceId(id));
    } catch (RuntimeException notAnId) {
      return Optional.empty();
    }
  }
}
