package dev.toolrun.adapter.k8s;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.leader.RenewalClock;
import dev.toolrun.adapter.k8s.leader.RenewalRecordingLock;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElectionConfigBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderElector;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaseLock;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Elects the one replica that writes, with fabric8's leader election on a {@code
 * coordination.k8s.io} Lease in toolrun's namespace ({@link LeaderLease}). It tells its {@link
 * Listener} when this replica starts leading and when it stops, once each; stopping is told too
 * when no renewal succeeded within the renew deadline, checked four times a second, even while a
 * renewal request hangs, which fabric8's own loop does not cut short.
 *
 * <p>Its requests go on the client without automatic retries, sent once and outside the rate
 * limiter: a renewal that waited behind a burst of launches, or retried for seconds, would lose the
 * lease it was meant to keep. {@link #close()} hands the lease over at once (fabric8's release on
 * cancel renews it for a lease of 1 s, as its merge patch cannot remove the holder), so a standby
 * takes it at its first try after that second, and only then tells of the stop.
 */
public final class KubernetesLeaderElection implements AutoCloseable {
  private static final Logger LOG = System.getLogger(KubernetesLeaderElection.class.getName());
  private static final long WATCHDOG_PERIOD_MS = 250;

  /** What the app does as leadership comes and goes; called on the election's threads. */
  public interface Listener {
    /** This replica holds the lease now, and may write. */
    void startedLeading();

    /**
     * This replica no longer holds the lease, or can no longer be sure it does: it must stop
     * writing now. {@code reason} says which, for the log.
     */
    void stoppedLeading(String reason);

    /** Some replica ({@code identity}, maybe this one) was seen holding the lease. */
    void leaderIs(String identity);
  }

  private final KubernetesCluster cluster;
  private final LeaderLease lease;
  private final RenewalClock renewals;
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean stopTold = new AtomicBoolean();
  private final ScheduledExecutorService watchdog;
  private Listener listener;
  private CompletableFuture<?> election;

  KubernetesLeaderElection(KubernetesCluster cluster, LeaderLease lease) {
    this.cluster = requireNonNull(cluster, "cluster is null");
    this.lease = requireNonNull(lease, "lease is null");
    this.renewals = new RenewalClock(lease.renewDeadline(), System::nanoTime);
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "toolrun-leader-watchdog");
              t.setDaemon(true);
              return t;
            });
  }

  /** The lease this election runs on. */
  public LeaderLease lease() {
    return lease;
  }

  /**
   * Starts trying to acquire the lease, and once held to renew it, telling {@code listener};
   * returns at once. Call once.
   */
  public synchronized void start(Listener listener) {
    if (this.listener != null) {
      throw new IllegalStateException("the leader election was started before");
    }
    this.listener = requireNonNull(listener, "listener is null");
    LeaseLock lock = new LeaseLock(cluster.namespace(), lease.name(), lease.identity());
    LeaderElector elector =
        cluster
            .clientWithoutRetries()
            .leaderElector()
            .withConfig(
                new LeaderElectionConfigBuilder()
                    .withName("toolrun")
                    .withLock(new RenewalRecordingLock(lock, renewals))
                    .withLeaseDuration(lease.duration())
                    .withRenewDeadline(lease.renewDeadline())
                    .withRetryPeriod(lease.retryPeriod())
                    .withReleaseOnCancel(true)
                    .withLeaderCallbacks(
                        new LeaderCallbacks(
                            this::started,
                            () -> stopped("the lease " + lease.name() + " was lost or released"),
                            listener::leaderIs))
                    .build())
            .build();
    watchdog.scheduleAtFixedRate(
        this::watch, WATCHDOG_PERIOD_MS, WATCHDOG_PERIOD_MS, TimeUnit.MILLISECONDS);
    election = elector.start();
    LOG.log(
        Level.INFO,
        "standing for leader as {0} on the lease {1} (lease {2} s, renew deadline {3} s)",
        lease.identity(),
        lease.name(),
        lease.duration().toSeconds(),
        lease.renewDeadline().toSeconds());
  }

  private void started() {
    if (leading.compareAndSet(false, true)) {
      listener.startedLeading();
    }
  }

  private void stopped(String reason) {
    if (leading.get() && stopTold.compareAndSet(false, true)) {
      listener.stoppedLeading(reason);
    }
  }

  private void watch() {
    if (renewals.deadlinePassed()) {
      stopped(
          "no renewal of the lease %s succeeded within the renew deadline of %d s"
              .formatted(lease.name(), lease.renewDeadline().toSeconds()));
    }
  }

  /**
   * Stops the election; while leading, first hands the lease over (renews it for 1 s), then tells
   * the listener of the stop. Idempotent.
   */
  @Override
  public synchronized void close() {
    watchdog.shutdownNow();
    if (election != null) {
      // fabric8 releases the lease and calls back on this thread, before cancel returns.
      election.cancel(true);
      election = null;
    }
  }
}
