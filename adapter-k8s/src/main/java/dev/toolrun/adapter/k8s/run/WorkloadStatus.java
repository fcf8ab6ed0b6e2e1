package dev.toolrun.adapter.k8s.run;

import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Null-safe readings of a Job's and its pods' status, each a pure function: every place that looks
 * at what the Job controller and the kubelet report reads it here, and {@link JobStatusMapper}
 * turns the readings into an instance's state.
 */
final class WorkloadStatus {
  private WorkloadStatus() {}

  /** The Job's condition of {@code type} when it is true. */
  static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }

  /** Whether the Job controller is done with the Job: it is {@code Complete} or {@code Failed}. */
  static boolean isFinished(Job job) {
    return condition(job, "Complete").isPresent() || condition(job, "Failed").isPresent();
  }

  /** Whether the Job runs several pods, whose output lines are then told apart. */
  static boolean isParallel(Job job) {
    return Optional.ofNullable(job.getSpec().getCompletions()).orElse(1) > 1
        || Optional.ofNullable(job.getSpec().getParallelism()).orElse(1) > 1;
  }

  /** Whether the Job is a service instance's, as its mode label says. */
  static boolean isService(Job job) {
    return job.getMetadata().getLabels() != null
        && "service".equals(job.getMetadata().getLabels().get(WorkloadLabels.MODE));
  }

  /**
   * Whether the pod cache has seen every pod the Job counts as finished, with its final state: the
   * Job controller updates the Job only after the pods, but the two watches may deliver in any
   * order.
   */
  static boolean podsCaughtUp(Job job, List<Pod> pods) {
    int finished =
        job.getStatus() == null
            ? 0
            : Optional.ofNullable(job.getStatus().getSucceeded()).orElse(0)
                + Optional.ofNullable(job.getStatus().getFailed()).orElse(0);
    long seen =
        pods.stream()
            .filter(
                p ->
                    p.getStatus() != null
                        && ("Succeeded".equals(p.getStatus().getPhase())
                            || "Failed".equals(p.getStatus().getPhase())))
            .count();
    return seen >= finished;
  }

  /** Whether the pod is running its tool container and is not being deleted: it can serve. */
  static boolean isRunning(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase())
        && toolStatus(pod).map(s -> s.getState().getRunning() != null).orElse(false);
  }

  /** Whether the pod's tool container has started (it runs or has ended): it has output. */
  static boolean hasStarted(Pod pod) {
    return toolStatus(pod)
        .map(s -> s.getState().getRunning() != null || s.getState().getTerminated() != null)
        .orElse(false);
  }

  /** The status of the pod's tool container, once it has a state. */
  static Optional<ContainerStatus> toolStatus(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> JobFactory.CONTAINER.equals(s.getName()) && s.getState() != null)
        .findFirst();
  }

  /** How the pod's tool container ended, if it has. */
  static Optional<ContainerStateTerminated> toolTermination(Pod pod) {
    return toolStatus(pod).map(s -> s.getState().getTerminated());
  }

  /**
   * When the pod's tool container started, if it has: {@code running.startedAt}, or {@code
   * terminated.startedAt} once it ended (absent when it never ran, e.g. it could not be created).
   */
  static Optional<Instant> toolStartedAt(Pod pod) {
    return toolStatus(pod)
        .flatMap(
            s -> {
              if (s.getState().getRunning() != null) {
                return parse(s.getState().getRunning().getStartedAt());
              }
              if (s.getState().getTerminated() != null) {
                return parse(s.getState().getTerminated().getStartedAt());
              }
              return Optional.empty();
            });
  }

  /** When the pod started, or else when it was created. */
  static Optional<Instant> started(Pod pod) {
    Optional<Instant> start =
        pod.getStatus() == null ? Optional.empty() : parse(pod.getStatus().getStartTime());
    return start.or(() -> parse(pod.getMetadata().getCreationTimestamp()));
  }

  /** A timestamp as the API server writes it; empty when there is none or it cannot be read. */
  static Optional<Instant> parse(String timestamp) {
    try {
      return timestamp == null ? Optional.empty() : Optional.of(Instant.parse(timestamp));
    } catch (RuntimeException malformed) {
      return Optional.empty();
    }
  }
}
