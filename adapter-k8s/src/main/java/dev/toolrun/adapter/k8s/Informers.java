package dev.toolrun.adapter.k8s;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Stopping informers completely, so no watch outlives its owner. */
final class Informers {
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
