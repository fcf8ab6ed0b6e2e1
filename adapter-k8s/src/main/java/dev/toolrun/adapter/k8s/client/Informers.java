package dev.toolrun.adapter.k8s.client;

import dev.toolrun.domain.error.RuntimeUnavailableException;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * How toolrun's informers list, start and stop: one way for all of them, so they wait, fail and
 * stop alike, and no watch outlives its owner.
 */
public final class Informers {
  /**
   * Informers list in pages of this many objects. A limit also makes the API server answer from
   * etcd rather than its watch cache (fabric8 lists with {@code resourceVersion=0} otherwise), so a
   * restarted toolrun sees every record written before it died, even one written a moment ago.
   */
  public static final long LIST_PAGE = 500;

  /** How long a start waits for the informers' first lists. */
  public static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);

  private Informers() {}

  /**
   * Starts {@code informers} and waits, up to {@link #SYNC_TIMEOUT}, until each has listed what it
   * follows. When that fails they are stopped again, and the error says what toolrun was {@code
   * doing}.
   *
   * @param doing what the informers do, for messages: e.g. {@code listing Jobs and pods in
   *     namespace tools}
   * @throws dev.toolrun.domain.error.RuntimeRejectedException when the API server refused toolrun's
   *     credentials or permissions (waiting would not help: see {@link #retry})
   * @throws RuntimeUnavailableException when it could not be reached in time
   */
  public static void start(
      KubernetesCluster cluster, String doing, List<? extends SharedIndexInformer<?>> informers) {
    try {
      CompletableFuture.allOf(
              informers.stream()
                  .map(informer -> informer.start().toCompletableFuture())
                  .toArray(CompletableFuture[]::new))
          .get(SYNC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      cluster.reachability().follow(informers);
    } catch (ExecutionException | TimeoutException e) {
      informers.forEach(Informers::stop);
      Optional<KubernetesClientException> refused = refusal(e);
      if (refused.isPresent()) {
        throw ApiErrors.translate(refused.get(), doing, cluster.server());
      }
      throw new RuntimeUnavailableException(
          "could not finish %s within %d s: %s"
              .formatted(doing, SYNC_TIMEOUT.toSeconds(), e.getCause() == null ? e : e.getCause()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      informers.forEach(Informers::stop);
      throw new RuntimeUnavailableException("interrupted while " + doing, e);
    }
  }

  /**
   * Whether an informer tries again after {@code failure}: always once it has synced (it relists
   * after an outage), and before that unless the API server refused toolrun's credentials or
   * permissions, which no amount of waiting fixes. Giving up fails the informer's start, so toolrun
   * stops at once with the reason instead of retrying for a minute and blaming the network.
   */
  public static boolean retry(boolean started, Throwable failure) {
    return started || refusal(failure).isEmpty();
  }

  /** The 401 or 403 answer somewhere in {@code failure}'s causes. */
  public static Optional<KubernetesClientException> refusal(Throwable failure) {
    for (Throwable cause = failure;
        cause != null;
        cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (cause instanceof KubernetesClientException e
          && (e.getCode() == 401 || e.getCode() == 403)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }

  /** Stops {@code informer} and waits, a little, until its watch is closed. */
  public static void stop(SharedIndexInformer<?> informer) {
    informer.close();
    try {
      informer.stopped().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // It stopped with an error, or is slow to: nothing more to do.
    }
  }
}
