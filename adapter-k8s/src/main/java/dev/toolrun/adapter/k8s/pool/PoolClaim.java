package dev.toolrun.adapter.k8s.pool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.client.ApiErrors;
import dev.toolrun.adapter.k8s.client.ApiRateLimiter;
import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.adapter.k8s.job.PoolRunner;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.InstanceId;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The API calls that hand one run to one waiting pool pod, in this order:
 *
 * <ol>
 *   <li>take the pool Job: a merge patch that carries the Job's resourceVersion, so that of two
 *       claims of one Job (two launches, or two toolruns) exactly one succeeds; it marks the Job
 *       claimed and sets its deadline so that the run's timeout counts from now;
 *   <li>deliver: one exec into the pod whose standard input is the run's files and environment
 *       (secret values included) as a tar stream; the runner wakes and the tool starts, and the
 *       claim goes on once the exec said so. The exec is usually {@linkplain #prepare opened}
 *       before the claim, while the pod waits, so that the claim only sends its standard input; it
 *       stays open until the tool ends, and then carries the runner's report of how;
 *   <li>hand the Job and pod to the instance: its label (which the informers' indexes and so the
 *       run's follower use) and its owner, as a cold Job has them.
 * </ol>
 *
 * <p>Secret values are only ever in the body of step 2.
 *
 * <p>Why the take stays before the delivery, though only the elected leader claims (so the
 * in-process {@code taken} set already keeps two launches of this toolrun off one pod): the take is
 * what a restarted or new leader sees of a claim. A pool Job marked claimed is never handed to
 * another run, and one left without an instance is deleted after a minute; a Job not marked is
 * still a waiting pool Job. Were the payload sent first, a crash between the two would leave a pod
 * running the tool under a Job that still says "waiting": the next leader would hand it to another
 * launch (whose delivery finds no runner left, so that launch starts cold) while the instance's
 * record, still CREATING, is started once more: the tool would run twice. The take also keeps its
 * {@code resourceVersion} precondition, for the moment two toolruns both think they lead. What the
 * order costs is one patch, 10 to 30 ms on the local cluster (docs/benchmarks.md, figure 15), now
 * that the delivery's exec is opened ahead and a claim only sends down it.
 *
 * <p>Not closed by this order: a crash after the delivery and before the hand-over leaves a Job
 * marked claimed without an instance label, which a restarted toolrun does not connect to the
 * record it starts again (it deletes the Job after a minute as a leftover). Closing it would take
 * the instance's id in the take (an annotation, so that the informers' index does not yet count the
 * Job as the instance's) and a repeated launch that adopts such a Job, re-sending the payload (a
 * runner already woken has no reader on its FIFO, so the second delivery times out and the Job is
 * handed over as it is).
 */
final class PoolClaim {
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(10);

  private final KubernetesClient client;
  private final String namespace;
  private final ApiRateLimiter limiter;

  PoolClaim(KubernetesClient client, String namespace, ApiRateLimiter limiter) {
    this.client = requireNonNull(client, "client is null");
    this.namespace = requireNonNull(namespace, "namespace is null");
    this.limiter = requireNonNull(limiter, "limiter is null");
  }

  /**
   * Takes {@code job} (as the cache showed it) for a run whose timeout is {@code timeout}: whether
   * this claim got it. False when someone else took or changed it first.
   */
  boolean take(Job job, Duration timeout, Instant now) {
    Instant started =
        Optional.ofNullable(job.getStatus())
            .map(s -> s.getStartTime())
            .map(Instant::parse)
            .orElse(now);
    // The Job controller counts the deadline from the Job's start: add the time it waited.
    long waited = Math.max(0, Duration.between(started, now).toSeconds() + 1);
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("resourceVersion", job.getMetadata().getResourceVersion());
    metadata.put("labels", Map.of(WorkloadLabels.POOL, WorkloadLabels.POOL_CLAIMED));
    metadata.put(
        "annotations",
        Map.of(
            JobFactory.CLAIMED_AT_ANNOTATION,
            now.toString(),
            JobFactory.TIMEOUT_ANNOTATION,
            Long.toString(timeout.toSeconds())));
    Map<String, Object> patch =
        Map.of(
            "metadata",
            metadata,
            "spec",
            Map.of("activeDeadlineSeconds", waited + timeout.toSeconds()));
    try {
      // Ahead of the launches' writes: the take is the one request between a claim and its tool.
      limiter.takeAhead(1);
      patchJob(job.getMetadata().getName(), patch);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == ApiErrors.CONFLICT || e.getCode() == ApiErrors.NOT_FOUND) {
        return false;
      }
      throw ApiErrors.translate(e, "claiming pool Job " + job.getMetadata().getName(), server());
    }
  }

  /**
   * Opens the delivery into {@code pod} ahead of any claim: its command waits for a payload, so
   * that a claim pays only for sending it. Nothing is sent until {@link #deliver}.
   */
  PodExec.Session prepare(Pod pod) {
    limiter.take(1);
    return PodExec.open(
        client, namespace, pod.getMetadata().getName(), JobFactory.CONTAINER, PoolRunner.deliver());
  }

  /**
   * Hands {@code payload} (see {@link JobFactory#claimPayload}) to the runner in {@code pod},
   * through {@code prepared} (a {@link #prepare}d delivery into it) while that still waits, else
   * through an exec opened now: the session it went through, which stays open until the tool ends
   * and then carries the runner's report of how ({@link PodExec.Session#ended}).
   *
   * @throws RuntimeUnavailableException when it could not be delivered
   */
  PodExec.Session deliver(Pod pod, byte[] payload, Optional<PodExec.Session> prepared) {
    String name = pod.getMetadata().getName();
    byte[] framed = PoolRunner.framed(payload);
    PodExec.Session session;
    Optional<PodExec.Session> waiting = prepared.filter(PodExec.Session::isWaiting);
    if (waiting.isPresent() && waiting.get().send(framed)) {
      session = waiting.get();
    } else {
      prepared.ifPresent(PodExec.Session::close);
      limiter.take(1);
      session = PodExec.open(client, namespace, name, JobFactory.CONTAINER, PoolRunner.deliver());
      PodExec.Session opened = session;
      session.opened().thenAccept(socket -> opened.send(framed));
    }
    try {
      // The delivery says it woke the runner, then stays open until the tool ends.
      session.delivered().get(DELIVERY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return session;
    } catch (ExecutionException e) {
      session.close();
      throw new RuntimeUnavailableException(
          "delivering the run to pool pod %s failed: %s"
              .formatted(name, e.getCause() == null ? e.getMessage() : e.getCause().getMessage()),
          e);
    } catch (TimeoutException e) {
      session.close();
      throw new RuntimeUnavailableException(
          "delivering a run to pool pod " + name + " took longer than " + DELIVERY_TIMEOUT, e);
    } catch (InterruptedException e) {
      session.close();
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("interrupted while delivering to " + name, e);
    }
  }

  /** Gives the claimed Job and its pod instance {@code id}'s label, and the Job its owner. */
  void handOver(String job, String pod, InstanceId id, Optional<OwnerReference> owner) {
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("labels", Map.of(WorkloadLabels.INSTANCE, id.value()));
    owner.ifPresent(o -> metadata.put("ownerReferences", List.of(o)));
    try {
      limiter.take(1);
      patchJob(job, Map.of("metadata", metadata));
      limiter.take(1);
      client
          .pods()
          .inNamespace(namespace)
          .resource(new PodBuilder().withNewMetadata().withName(pod).endMetadata().build())
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              Serialization.asJson(
                  Map.of(
                      "metadata",
                      Map.of(
                          "labels",
                          Map.of(
                              WorkloadLabels.INSTANCE,
                              id.value(),
                              WorkloadLabels.POOL,
                              WorkloadLabels.POOL_CLAIMED)))));
    } catch (KubernetesClientException e) {
      throw ApiErrors.translate(e, "handing pool Job " + job + " to instance " + id, server());
    }
  }

  // The caller takes its token from the limiter.
  private void patchJob(String name, Map<String, Object> patch) {
    // Through resource(...), not withName(...): fabric8 would GET the Job before patching it.
    Job named = new JobBuilder().withNewMetadata().withName(name).endMetadata().build();
    client
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .resource(named)
        .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(patch));
  }

  /** The pod of {@code job} that a claim can hand a run to now, if it has one. */
  static boolean canTakeRun(Pod pod) {
    if (pod.getMetadata().getDeletionTimestamp() != null
        || pod.getStatus() == null
        || !"Running".equals(pod.getStatus().getPhase())
        || pod.getStatus().getContainerStatuses() == null) {
      return false;
    }
    return pod.getStatus().getContainerStatuses().stream()
        .anyMatch(
            s ->
                JobFactory.CONTAINER.equals(s.getName())
                    && s.getState() != null
                    && s.getState().getRunning() != null);
  }

  private String server() {
    return String.valueOf(client.getMasterUrl());
  }
}
