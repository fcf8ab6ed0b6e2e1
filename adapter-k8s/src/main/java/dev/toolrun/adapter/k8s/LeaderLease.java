package dev.toolrun.adapter.k8s;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * The {@code coordination.k8s.io} Lease by which toolrun's replicas in one namespace elect the one
 * that writes, and its timing. A leader renews it every {@code retryPeriod}; one that has not
 * renewed it for {@code renewDeadline} stops leading (and stops writing), before another may take
 * it after {@code duration} without a renewal. The difference is the margin that fences an old
 * leader off (docs/reliability.md, "Leadership").
 *
 * @param name the Lease's name in the namespace
 * @param identity who this replica is (its pod's name): what the Lease names as its holder
 * @param duration how long a renewal holds the Lease for the others
 * @param renewDeadline how long a leader goes on leading without a successful renewal
 * @param retryPeriod how often a leader renews, and a standby tries to acquire
 */
public record LeaderLease(
    String name, String identity, Duration duration, Duration renewDeadline, Duration retryPeriod) {
  public static final String DEFAULT_NAME = "toolrun-leader";
  public static final Duration DEFAULT_DURATION = Duration.ofSeconds(8);
  public static final Duration DEFAULT_RENEW_DEADLINE = Duration.ofSeconds(5);
  public static final Duration DEFAULT_RETRY_PERIOD = Duration.ofSeconds(1);

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  public LeaderLease {
    requireNonNull(name, "name is null");
    requireNonNull(identity, "identity is null");
    requireNonNull(duration, "duration is null");
    requireNonNull(renewDeadline, "renewDeadline is null");
    requireNonNull(retryPeriod, "retryPeriod is null");
    if (name.length() > 253 || !DNS_SUBDOMAIN.matcher(name).matches()) {
      throw new IllegalArgumentException("the lease name '" + name + "' is not a DNS subdomain");
    }
    if (identity.isBlank()) {
      throw new IllegalArgumentException("the identity is blank");
    }
    if (retryPeriod.isZero() || retryPeriod.isNegative()) {
      throw new IllegalArgumentException("the retry period must be positive");
    }
    // The fence: a leader stops before the others may acquire, and renews several times meanwhile.
    if (renewDeadline.compareTo(duration) >= 0) {
      throw new IllegalArgumentException(
          "the renew deadline (%d s) must be shorter than the lease (%d s)"
              .formatted(renewDeadline.toSeconds(), duration.toSeconds()));
    }
    if (retryPeriod.compareTo(renewDeadline) >= 0) {
      throw new IllegalArgumentException(
          "the retry period (%d s) must be shorter than the renew deadline (%d s)"
              .formatted(retryPeriod.toSeconds(), renewDeadline.toSeconds()));
    }
  }

  /** The default Lease and timing (8 s, 5 s, 1 s) for {@code identity}. */
  public static LeaderLease of(String identity) {
    return new LeaderLease(
        DEFAULT_NAME, identity, DEFAULT_DURATION, DEFAULT_RENEW_DEADLINE, DEFAULT_RETRY_PERIOD);
  }
}
