package dev.toolrun.bench.cluster;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waiting for what a watch or a request will bring, for a bounded time, failing with what was
 * awaited.
 */
final class Await {
  private Await() {}

  static <T> T within(Duration patience, String what, CompletableFuture<T> future) {
    try {
      return future.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new IllegalStateException(
          "gave up after " + patience.toSeconds() + " s waiting for " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "failed while waiting for " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
    }
  }
}
