package dev.toolrun.bench.cluster;

import java.util.Map;

/**
 * The labels toolrun puts on its Jobs, pods and records ({@code WorkloadLabels} and {@code
 * KubernetesInstanceRepository} in adapter-k8s, which keep them package-private): the bench watches
 * on them, and labels its own Jobs with them where toolrun must take them for its own.
 */
final class ToolrunLabels {
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String MANAGER = "toolrun";
  static final String INSTANCE = "toolrun.dev/instance";
  static final String MODE = "toolrun.dev/mode";
  static final String TOOL = "toolrun.dev/tool";
  static final String TOOL_VERSION = "toolrun.dev/tool-version";
  static final String RECORD = "toolrun.dev/record";
  static final String STATE = "toolrun.dev/state";
  static final String CLEANUP_POLICY_ANNOTATION = "toolrun.dev/cleanup-policy";

  private ToolrunLabels() {}

  /** The labels of a task Job of {@code instanceId}, as toolrun's Job factory writes them. */
  static Map<String, String> ofTask(String instanceId, String tool) {
    return Map.of(
        MANAGED_BY, MANAGER, INSTANCE, instanceId, MODE, "task", TOOL, tool, TOOL_VERSION, "1");
  }
}
