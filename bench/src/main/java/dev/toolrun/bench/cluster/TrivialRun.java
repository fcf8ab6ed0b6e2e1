package dev.toolrun.bench.cluster;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The run every figure measures, the same on both sides: busybox prints a line and writes a small
 * JSON result to {@code $TOOLRUN_RESULT_FILE} (the termination message, as toolrun's tools do),
 * under the "restricted" Pod Security Standard that the benchmark namespaces enforce.
 */
final class TrivialRun {
  static final String TOOL = "bench-echo";
  static final String IMAGE = "kube-local.test/busybox:1";
  static final List<String> COMMAND =
      List.of("sh", "-c", "echo ok; echo '{\"ok\":true}' > \"$TOOLRUN_RESULT_FILE\"");
  private static final String RESULT_FILE = "/dev/termination-log";
  private static final long NOBODY = 65534L;

  private TrivialRun() {}

  /** The body of {@code PUT /v1/tools/bench-echo}: toolrun's defaults, cleanup policy ALWAYS. */
  static String toolDefinition() {
    return JsonMapper.builder()
        .build()
        .writeValueAsString(
            Map.of(
                "description",
                "Benchmark: echo ok and a small JSON result",
                "spec",
                Map.of(
                    "mode",
                    "TASK",
                    "cleanupPolicy",
                    "ALWAYS",
                    "timeoutSeconds",
                    600,
                    "image",
                    Map.of("name", IMAGE, "command", COMMAND))));
  }

  /**
   * The same run as a bare Job, with toolrun's security settings (non-root, read-only root file
   * system, no capabilities, RuntimeDefault seccomp) and no retries, like toolrun's Jobs.
   */
  static Job job(String name, Map<String, String> labels, Map<String, String> annotations) {
    return new JobBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(labels)
        .withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
        .withBackoffLimit(0)
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(NOBODY)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName("tool")
        .withImage(IMAGE)
        .withImagePullPolicy("IfNotPresent")
        .withCommand(COMMAND)
        .addNewEnv()
        .withName("TOOLRUN_RESULT_FILE")
        .withValue(RESULT_FILE)
        .endEnv()
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .endContainer()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }
}
