package dev.toolrun.adapter.k8s;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Marks this replica's own pod with the part it plays, {@value #KEY}={@value #LEADER} or {@value
 * #STANDBY}, so that the Service that selects the leader's label routes to the one replica that
 * writes, while both replicas stay ready (and a rollout and a disruption budget count both): the
 * pattern of CloudNativePG's and Patroni's role labels.
 *
 * <p>At start the pod is marked a standby: a pod whose container restarted after a halt keeps the
 * labels it had, and must not go on saying it leads. On leading, the pod is marked the leader, and
 * the pod of the replica that held the Lease before (the Lease names replicas by their pod's name)
 * is marked a standby if it still exists and still says it leads: a leader that was killed cannot
 * unmark itself. On shutdown the pod is marked a standby before the Lease is handed over.
 *
 * <p>Marks are sent in the background and a failed one is retried every {@link #RETRY} until it
 * succeeds or a newer mark replaces it; meanwhile the replica goes on leading or standing by
 * (writes are fenced by the Lease, not by the label), and each failure is logged at WARN. Patches
 * only, never a read: the previous holder's mark is a JSON patch whose {@code test} step makes it
 * apply only while that pod still says it leads, so the Role needs {@code patch} on pods and no
 * {@code get}.
 */
public final class PodRoleLabel implements AutoCloseable {
  private static final Logger LOG = System.getLogger(PodRoleLabel.class.getName());

  public static final String KEY = "toolrun.dev/role";
  public static final String LEADER = "leader";
  public static final String STANDBY = "standby";

  static final Duration RETRY = Duration.ofSeconds(2);

  // What the API server answers a patch that has nothing to do: the pod is gone (404), or its
  // label no longer says leader (the JSON patch's test step failed: 422).
  private static final Set<Integer> NOTHING_TO_DO = Set.of(404, 409, 422);

  private final KubernetesCluster cluster;
  private final String pod;
  private final ScheduledExecutorService sender;
  private final AtomicBoolean retryPending = new AtomicBoolean();
  private volatile String wanted = STANDBY;
  private volatile Optional<String> holder = Optional.empty();
  private volatile Optional<String> previousHolder = Optional.empty();
  private volatile boolean leading;

  PodRoleLabel(KubernetesCluster cluster, String pod) {
    this.cluster = requireNonNull(cluster, "cluster is null");
    this.pod = requireNonNull(pod, "pod is null");
    this.sender =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "toolrun-pod-role");
              t.setDaemon(true);
              return t;
            });
  }

  /** The name of the pod this replica marks: its own, and its identity in the Lease. */
  public String pod() {
    return pod;
  }

  /** Marks this pod a standby, in the background (at start: whatever it said before). */
  public void standby() {
    leading = false;
    mark(STANDBY);
  }

  /**
   * Some replica ({@code identity}, maybe this one) was seen holding the Lease: remembered, so that
   * on leading this one knows whose pod to unmark.
   */
  public void leaderIs(String identity) {
    if (identity == null || identity.isBlank() || holder.equals(Optional.of(identity))) {
      return;
    }
    holder.filter(h -> !h.equals(pod)).ifPresent(h -> previousHolder = Optional.of(h));
    holder = Optional.of(identity);
  }

  /**
   * Marks this pod the leader, and the previous holder's pod a standby if it still says it leads;
   * in the background. Call once this replica takes writes.
   */
  public void leading() {
    leading = true;
    mark(LEADER);
    Optional<String> previous =
        holder.filter(h -> !h.equals(pod)).or(() -> previousHolder).filter(h -> !h.equals(pod));
    previous.ifPresent(other -> sender.execute(() -> unmark(other)));
  }

  /**
   * Marks this pod a standby now, waiting up to {@code timeout} (at shutdown, before the Lease is
   * handed over, so that the Service stops sending callers here first); whether it was marked.
   */
  public boolean standbyNow(Duration timeout) {
    leading = false;
    wanted = STANDBY;
    Future<Boolean> sent;
    try {
      sent = sender.submit(() -> send(STANDBY));
    } catch (RejectedExecutionException closed) {
      return false;
    }
    try {
      return sent.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      LOG.log(Level.WARNING, "pod {0} could not be marked {1}={2} in time", pod, KEY, STANDBY);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void mark(String role) {
    wanted = role;
    try {
      sender.execute(this::sendWanted);
    } catch (RejectedExecutionException closed) {
      // Closed: the process is stopping, and standbyNow marked it already.
    }
  }

  private void sendWanted() {
    String role = wanted;
    if (!send(role) && retryPending.compareAndSet(false, true)) {
      sender.schedule(
          () -> {
            retryPending.set(false);
            sendWanted();
          },
          RETRY.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  /** Sets this pod's label to {@code role}; false when it should be tried again. */
  private boolean send(String role) {
    try {
      cluster
          .clientWithoutRetries()
          .pods()
          .inNamespace(cluster.namespace())
          // Through resource(...), not withName(...): fabric8 would GET the pod before patching.
          .resource(named(pod))
          .patch(
              PatchContext.of(PatchType.JSON_MERGE),
              "{\"metadata\":{\"labels\":{\"" + KEY + "\":\"" + role + "\"}}}");
      LOG.log(Level.INFO, "pod {0} marked {1}={2}", pod, KEY, role);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 404) {
        LOG.log(
            Level.WARNING,
            "pod {0} does not exist, so it cannot be marked {1}={2}: leader.pod-name must name this"
                + " replica''s own pod",
            pod,
            KEY,
            role);
        return true;
      }
      LOG.log(
          Level.WARNING,
          "pod {0} could not be marked {1}={2} (retried in {3} s): {4}",
          pod,
          KEY,
          role,
          RETRY.toSeconds(),
          e.getMessage());
      return false;
    }
  }

  /**
   * Marks {@code other}'s pod a standby if it still says it leads; retried while this one leads.
   */
  private void unmark(String other) {
    if (!leading) {
      return;
    }
    String label = "/metadata/labels/" + KEY.replace("~", "~0").replace("/", "~1");
    String patch =
        "[{\"op\":\"test\",\"path\":\"%s\",\"value\":\"%s\"},{\"op\":\"replace\",\"path\":\"%s\",\"value\":\"%s\"}]"
            .formatted(label, LEADER, label, STANDBY);
    try {
      cluster
          .clientWithoutRetries()
          .pods()
          .inNamespace(cluster.namespace())
          .resource(named(other))
          .patch(PatchContext.of(PatchType.JSON), patch);
      LOG.log(Level.INFO, "pod {0} of the previous leader marked {1}={2}", other, KEY, STANDBY);
    } catch (KubernetesClientException e) {
      if (NOTHING_TO_DO.contains(e.getCode())) {
        LOG.log(
            Level.DEBUG,
            "pod {0} of the previous leader is gone or no longer says it leads",
            other);
        return;
      }
      LOG.log(
          Level.WARNING,
          "pod {0} of the previous leader could not be marked {1}={2} (retried in {3} s): {4}",
          other,
          KEY,
          STANDBY,
          RETRY.toSeconds(),
          e.getMessage());
      sender.schedule(() -> unmark(other), RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static Pod named(String name) {
    return new PodBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  /** Stops sending marks (those pending are dropped). */
  @Override
  public void close() {
    sender.shutdownNow();
  }
}
