package dev.toolrun.adapter.k8s;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** How toolrun's informers list, and stopping them completely, so no watch outlives its owner. */
final class Informers {
  /**
   * Informers list in pages of this many objects. A limit also makes the API server answer from
   * etcd rather than its watch cache (fabric8 lists with {@code resourceVersion=0} otherwise), so
   * a restarted toolrun sees every record written before it died, even one written a moment ago.
   */
  static final long LIST_PAGE = 500;

  private Informers() {}

  /** Stops {@code informer} and waits, a little, until its watch is closed. */
  static void stop(SharedIndexInformer<?> informer) {
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
