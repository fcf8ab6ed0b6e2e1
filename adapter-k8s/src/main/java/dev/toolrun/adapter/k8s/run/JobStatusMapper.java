package dev.toolrun.adapter.k8s.run;

import static dev.toolrun.adapter.k8s.run.WorkloadStatus.condition;
import static dev.toolrun.adapter.k8s.run.WorkloadStatus.isService;
import static dev.toolrun.adapter.k8s.run.WorkloadStatus.parse;
import static dev.toolrun.adapter.k8s.run.WorkloadStatus.started;
import static dev.toolrun.adapter.k8s.run.WorkloadStatus.toolStatus;
import static dev.toolrun.adapter.k8s.run.WorkloadStatus.toolTermination;
import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.InstanceState;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads an instance's state from its Job and pods: a pure function, tested against objects captured
 * from a real cluster.
 *
 * <p>The Job's {@code Complete} and {@code Failed} conditions decide the end of a run; a failed pod
 * alone does not, because the Job may retry it. Pods tell the rest: whether the workload runs yet,
 * and why a run failed. Problems the Job controller never gives up on (an image that cannot be
 * pulled, no node that fits) end the run after a grace period.
 */
public final class JobStatusMapper {
  /**
   * How long a container may fail to be created (a missing ConfigMap key, say) before the run
   * fails.
   */
  public static final Duration CONFIG_ERROR_GRACE = Duration.ofSeconds(60);

  private static final Set<String> IMAGE_PULL_FAILURES =
      Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull");
  private static final Set<String> CONFIG_FAILURES =
      Set.of("CreateContainerConfigError", "CreateContainerError");

  private final Duration imagePullGrace;
  private final Duration unschedulableGrace;
  private final Duration configErrorGrace;

  public JobStatusMapper(
      Duration imagePullGrace, Duration unschedulableGrace, Duration configErrorGrace) {
    this.imagePullGrace = requireNonNull(imagePullGrace, "imagePullGrace is null");
    this.unschedulableGrace = requireNonNull(unschedulableGrace, "unschedulableGrace is null");
    this.configErrorGrace = requireNonNull(configErrorGrace, "configErrorGrace is null");
  }

  /** What {@code job} and its {@code pods} say at {@code now}. */
  public JobObservation observe(Job job, List<Pod> pods, Instant now) {
    return observe(job, pods, Optional.empty(), now);
  }

  /**
   * What {@code job} and its {@code pods} say at {@code now}, with what a warm pool pod's runner
   * reported of its tool's end ({@code runnerEnd}), if it did. A report of exit code 0 from a pod
   * of the Job ends the run as {@code SUCCEEDED} at once, with the result the runner read from the
   * termination message, as the kubelet will report it a second or so later; whatever the Job
   * already says wins over it. Any other exit code is left to the kubelet and the Job controller,
   * so every failure (an exit code, a kill for memory, a deadline) is read as a cold run's.
   */
  public JobObservation observe(
      Job job, List<Pod> pods, Optional<RunnerEnd> runnerEnd, Instant now) {
    requireNonNull(job, "job is null");
    requireNonNull(runnerEnd, "runnerEnd is null");
    // A pool pod's container started long before its run: a claimed run started at its claim.
    Optional<Instant> claimed =
        annotation(job, JobFactory.CLAIMED_AT_ANNOTATION).map(Instant::parse);
    JobObservation seen = state(job, pods, now);
    Optional<RunnerEnd> success =
        runnerEnd
            .filter(RunnerEnd::succeeded)
            .filter(end -> end.job().equals(job.getMetadata().getName()))
            .filter(
                end ->
                    pods.stream()
                        .anyMatch(
                            p ->
                                end.pod().equals(p.getMetadata().getName())
                                    && WorkloadStatus.hasStarted(p)));
    if (!seen.isTerminal() && success.isPresent()) {
      seen =
          new JobObservation(
              InstanceState.SUCCEEDED,
              Optional.empty(),
              Optional.of(0),
              success.get().terminationMessage(),
              Optional.empty());
    }
    return seen.startedAt(firstStart(pods).map(s -> claimed.filter(c -> c.isAfter(s)).orElse(s)));
  }

  private static Optional<String> annotation(Job job, String key) {
    return Optional.ofNullable(job.getMetadata().getAnnotations()).map(a -> a.get(key));
  }

  private JobObservation state(Job job, List<Pod> pods, Instant now) {
    Optional<JobCondition> complete = condition(job, "Complete");
    if (complete.isPresent()) {
      return succeeded(pods);
    }
    Optional<JobCondition> failed = condition(job, "Failed");
    if (failed.isPresent()) {
      return failed(job, failed.get(), pods);
    }
    return stillGoing(pods, now);
  }

  /**
   * When the first tool container started, as the kubelet says ({@code running.startedAt}, or
   * {@code terminated.startedAt} of one that has ended already): the run was RUNNING from then on,
   * even when it ended before toolrun saw it run.
   */
  private static Optional<Instant> firstStart(List<Pod> pods) {
    return pods.stream()
        .map(WorkloadStatus::toolStartedAt)
        .flatMap(Optional::stream)
        .min(Comparator.naturalOrder());
  }

  private static JobObservation succeeded(List<Pod> pods) {
    // With several completions, the result is that of the pod that finished last.
    Optional<ContainerStateTerminated> last =
        terminatedToolContainers(pods)
            .filter(t -> Objects.equals(t.getExitCode(), 0))
            .max(Comparator.comparing(t -> Optional.ofNullable(t.getFinishedAt()).orElse("")));
    return new JobObservation(
        InstanceState.SUCCEEDED,
        Optional.empty(),
        Optional.of(0),
        last.map(ContainerStateTerminated::getMessage).filter(m -> !m.isEmpty()),
        Optional.empty());
  }

  private static JobObservation failed(Job job, JobCondition condition, List<Pod> pods) {
    if ("DeadlineExceeded".equals(condition.getReason())) {
      // A claimed pool Job's deadline also counts the time it waited; its run's timeout is kept.
      long seconds =
          annotation(job, JobFactory.TIMEOUT_ANNOTATION)
              .map(Long::parseLong)
              .orElseGet(
                  () -> Optional.ofNullable(job.getSpec().getActiveDeadlineSeconds()).orElse(0L));
      return JobObservation.failed(
          new FailureReason.DeadlineExceeded(Duration.ofSeconds(seconds)), Optional.empty());
    }
    List<Pod> failedPods =
        pods.stream()
            .filter(
                p ->
                    toolTermination(p).filter(t -> !Objects.equals(t.getExitCode(), 0)).isPresent())
            .sorted(
                Comparator.comparing(
                    p ->
                        toolTermination(p).map(ContainerStateTerminated::getFinishedAt).orElse("")))
            .toList();
    if (failedPods.isEmpty()) {
      return JobObservation.failed(
          new FailureReason.RuntimeError(
              "the Job failed (%s): %s"
                  .formatted(
                      condition.getReason(),
                      Optional.ofNullable(condition.getMessage()).orElse("no message"))),
          Optional.empty());
    }
    // A task's run is told by its first failure, which the others (retries, or parallel pods that
    // met the same fault) usually only repeat; a service's crash loop by its last.
    Pod culprit = isService(job) ? failedPods.get(failedPods.size() - 1) : failedPods.get(0);
    ContainerStateTerminated terminated = toolTermination(culprit).orElseThrow();
    Optional<Integer> exitCode = Optional.ofNullable(terminated.getExitCode());
    if ("OOMKilled".equals(terminated.getReason())) {
      return JobObservation.failed(
          new FailureReason.OutOfMemory(
              memoryLimit(culprit)
                  .map(limit -> "killed at its memory limit of " + limit)
                  .orElse("killed for using too much memory")),
          exitCode);
    }
    int code = exitCode.orElse(-1);
    if (isService(job)) {
      // A service's Job fails only once its process died more often than its restarts allow; the
      // runtime adds the last lines it wrote.
      return JobObservation.failed(new FailureReason.CrashLoop(code, List.of()), exitCode);
    }
    if (code == 0) {
      return JobObservation.failed(
          new FailureReason.RuntimeError("the Job failed although its container exited with 0"),
          exitCode);
    }
    // The Job counts pods the cache may no longer hold (deleted, or replaced by a retry).
    int failedCount = Math.max(failedPods.size(), counted(job.getStatus().getFailed()));
    int podCount = Math.max(pods.size(), failedCount + counted(job.getStatus().getSucceeded()));
    return JobObservation.failed(
        new FailureReason.ExitedNonZero(code, failedCount, podCount), exitCode);
  }

  private static int counted(Integer count) {
    return count == null ? 0 : count;
  }

  private JobObservation stillGoing(List<Pod> pods, Instant now) {
    boolean running = false;
    for (Pod pod : pods) {
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      Optional<ContainerStatus> status = toolStatus(pod);
      Optional<ContainerStateWaiting> waiting = status.map(s -> s.getState().getWaiting());
      Duration waited = Duration.between(started(pod).orElse(now), now);
      if (waiting.isPresent() && IMAGE_PULL_FAILURES.contains(waiting.get().getReason())) {
        if ("InvalidImageName".equals(waiting.get().getReason())
            || waited.compareTo(imagePullGrace) >= 0) {
          return JobObservation.failed(
              new FailureReason.ImagePullFailed(
                  status.get().getImage(),
                  Optional.ofNullable(waiting.get().getMessage())
                      .orElse(waiting.get().getReason())),
              Optional.empty());
        }
      }
      if (waiting.isPresent()
          && CONFIG_FAILURES.contains(waiting.get().getReason())
          && waited.compareTo(configErrorGrace) >= 0) {
        return JobObservation.failed(
            new FailureReason.RuntimeError(
                "the container could not be created: "
                    + Optional.ofNullable(waiting.get().getMessage())
                        .orElse(waiting.get().getReason())),
            Optional.empty());
      }
      Optional<PodCondition> unschedulable = unschedulable(pod);
      if (unschedulable.isPresent()) {
        Instant since = parse(unschedulable.get().getLastTransitionTime()).orElse(now);
        if (Duration.between(since, now).compareTo(unschedulableGrace) >= 0) {
          return JobObservation.failed(
              new FailureReason.Unschedulable(
                  Optional.ofNullable(unschedulable.get().getMessage()).orElse("no node fits")),
              Optional.empty());
        }
      }
      running |= status.map(s -> s.getState().getRunning() != null).orElse(false);
    }
    return JobObservation.in(running ? InstanceState.RUNNING : InstanceState.STARTING);
  }

  /**
   * When a run that the mapper would let wait will be failed if nothing changes: the earliest grace
   * deadline among its pods, so the runtime can look again then.
   */
  public Optional<Instant> nextDeadline(List<Pod> pods, Instant now) {
    Optional<Instant> earliest = Optional.empty();
    for (Pod pod : pods) {
      Optional<ContainerStateWaiting> waiting = toolStatus(pod).map(s -> s.getState().getWaiting());
      Instant start = started(pod).orElse(now);
      if (waiting.isPresent() && IMAGE_PULL_FAILURES.contains(waiting.get().getReason())) {
        earliest = min(earliest, start.plus(imagePullGrace));
      }
      if (waiting.isPresent() && CONFIG_FAILURES.contains(waiting.get().getReason())) {
        earliest = min(earliest, start.plus(configErrorGrace));
      }
      Optional<PodCondition> unschedulable = unschedulable(pod);
      if (unschedulable.isPresent()) {
        earliest =
            min(
                earliest,
                parse(unschedulable.get().getLastTransitionTime())
                    .orElse(now)
                    .plus(unschedulableGrace));
      }
    }
    return earliest;
  }

  private static Optional<Instant> min(Optional<Instant> a, Instant b) {
    return Optional.of(a.filter(x -> x.isBefore(b)).orElse(b));
  }

  /**
   * The pod's unschedulable condition, unless the scheduler's only reasons are a shortage that
   * frees up as other pods end: such a pod waits, as a plain Job's would, until the run's own
   * timeout (a busy cluster is not a broken run). A mismatch (node selector, affinity, taint,
   * volume) cannot fix itself and fails the run after the grace.
   */
  private static Optional<PodCondition> unschedulable(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getConditions().stream()
        .filter(
            c ->
                "PodScheduled".equals(c.getType())
                    && "False".equals(c.getStatus())
                    && "Unschedulable".equals(c.getReason()))
        .filter(c -> !onlyShortOfCapacity(c.getMessage()))
        .findFirst();
  }

  /**
   * Whether a scheduler message such as {@code 0/3 nodes are available: 1 Too many pods, 2
   * Insufficient cpu.} names only capacity shortages. Anything it cannot read counts as a mismatch.
   */
  static boolean onlyShortOfCapacity(String message) {
    if (message == null) {
      return false;
    }
    int start = message.indexOf("are available:");
    if (start < 0) {
      return false;
    }
    String reasons = message.substring(start + "are available:".length());
    // Newer schedulers append what preemption found: not a reason of their own.
    int preemption = reasons.indexOf("preemption:");
    if (preemption >= 0) {
      reasons = reasons.substring(0, preemption);
    }
    boolean any = false;
    for (String reason : reasons.split(",")) {
      String text = reason.trim().replaceAll("^\\d+\\s+", "").replaceAll("\\.$", "");
      if (text.isEmpty()) {
        continue;
      }
      if (!text.startsWith("Too many pods") && !text.startsWith("Insufficient ")) {
        return false;
      }
      any = true;
    }
    return any;
  }

  private static java.util.stream.Stream<ContainerStateTerminated> terminatedToolContainers(
      List<Pod> pods) {
    return pods.stream().map(WorkloadStatus::toolTermination).flatMap(Optional::stream);
  }

  private static Optional<String> memoryLimit(Pod pod) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> JobFactory.CONTAINER.equals(c.getName()))
        .map(Container::getResources)
        .filter(r -> r != null && r.getLimits() != null)
        .map(r -> r.getLimits().get("memory"))
        .filter(Objects::nonNull)
        .map(Quantity::toString)
        .findFirst();
  }
}
