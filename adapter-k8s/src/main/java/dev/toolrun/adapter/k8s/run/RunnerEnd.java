package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import java.util.Optional;

/**
 * How a warm pool pod's runner says its tool ended, through the delivery's exec, before the kubelet
 * reports the container's end (which on Kubernetes 1.20 comes up to a second or more later).
 *
 * @param job the pool Job the run was handed to: the end counts only while the instance's Job is
 *     that one
 * @param pod the pod the tool ran in
 * @param exitCode the tool's exit code, as the container's will be
 * @param terminationMessage what the tool left in its termination message file, as the kubelet
 *     keeps it (its last 4096 bytes); empty when it wrote none
 */
public record RunnerEnd(
    InstanceId instance,
    String job,
    String pod,
    int exitCode,
    Optional<String> terminationMessage) {
  public RunnerEnd {
    requireNonNull(instance, "instance is null");
    requireNonNull(job, "job is null");
    requireNonNull(pod, "pod is null");
    requireNonNull(terminationMessage, "terminationMessage is null");
  }

  /** Whether the tool ended with exit code 0. */
  public boolean succeeded() {
    return exitCode == 0;
  }
}
