package dev.toolrun.adapter.k8s.leader;

import static java.util.Objects.requireNonNull;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.LeaderElectionRecord;
import io.fabric8.kubernetes.client.extended.leaderelection.resourcelock.Lock;
import java.util.Objects;

/**
 * fabric8's lock, telling a {@link RenewalClock} of each write that made or kept this replica the
 * holder. fabric8's elector says when leading starts and stops, but not when it last renewed, and
 * its own renew deadline is checked only between attempts (an attempt that hangs is not cut short),
 * which is why toolrun keeps its own clock of renewals.
 *
 * <p>fabric8 takes the time it writes into the Lease as renewal time before it reads the Lease, at
 * the start of an attempt; a renewal is counted from there too (the read), never from later.
 */
public final class RenewalRecordingLock implements Lock {
  private final Lock lock;
  private final RenewalClock clock;
  // Attempts are made one at a time (fabric8's are synchronized); this one's start.
  private volatile long attemptStarted;

  public RenewalRecordingLock(Lock lock, RenewalClock clock) {
    this.lock = requireNonNull(lock, "lock is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public LeaderElectionRecord get(KubernetesClient client) {
    attemptStarted = clock.now();
    return lock.get(client);
  }

  @Override
  public void create(KubernetesClient client, LeaderElectionRecord record) {
    lock.create(client, record);
    recordIfHeld(record, attemptStarted);
  }

  @Override
  public void update(KubernetesClient client, LeaderElectionRecord record) {
    lock.update(client, record);
    recordIfHeld(record, attemptStarted);
  }

  private void recordIfHeld(LeaderElectionRecord record, long sent) {
    // A release writes no holder: it is no renewal.
    if (Objects.equals(record.getHolderIdentity(), lock.identity())) {
      clock.renewed(sent);
    }
  }

  @Override
  public String identity() {
    return lock.identity();
  }

  @Override
  public String describe() {
    return lock.describe();
  }
}
