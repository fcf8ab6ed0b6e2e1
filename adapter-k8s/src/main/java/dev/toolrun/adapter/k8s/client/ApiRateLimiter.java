package dev.toolrun.adapter.k8s.client;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.ApiRateLimit;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * A token bucket in front of toolrun's own API requests (fabric8 has no client-side limiter):
 * tokens refill at {@code qps} per second up to {@code burst}; a caller takes the tokens for a
 * whole sequence of requests at once, so one launch's objects are created back to back.
 */
public final class ApiRateLimiter {
  private final double tokensPerNano;
  private final double capacity;
  private final java.util.function.LongSupplier nanoTime;
  private final Consumer<Duration> waits;
  private double tokens;
  private long lastRefill;

  public ApiRateLimiter(ApiRateLimit limit) {
    this(limit, System::nanoTime, waited -> {});
  }

  /**
   * @param waits told how long each caller waited for its tokens (zero when it did not), for the
   *     metrics
   */
  public ApiRateLimiter(ApiRateLimit limit, Consumer<Duration> waits) {
    this(limit, System::nanoTime, waits);
  }

  public ApiRateLimiter(ApiRateLimit limit, java.util.function.LongSupplier nanoTime) {
    this(limit, nanoTime, waited -> {});
  }

  private ApiRateLimiter(
      ApiRateLimit limit, java.util.function.LongSupplier nanoTime, Consumer<Duration> waits) {
    requireNonNull(limit, "limit is null");
    this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    this.waits = requireNonNull(waits, "waits is null");
    this.tokensPerNano = limit.qps() / 1e9;
    this.capacity = limit.burst();
    this.tokens = limit.burst();
    this.lastRefill = nanoTime.getAsLong();
  }

  /**
   * {@link #acquire}, for a caller whose request cannot go on once its thread is interrupted: the
   * interruption is kept on the thread and answered as the runtime being unavailable.
   */
  public void take(int n) {
    try {
      acquire(n);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("interrupted while waiting for the API rate limit", e);
    }
  }

  /** Blocks until {@code n} tokens are available and takes them. */
  public void acquire(int n) throws InterruptedException {
    if (n < 1 || n > capacity) {
      throw new IllegalArgumentException(
          "can take between 1 and " + (int) capacity + " tokens at once, not " + n);
    }
    long started = nanoTime.getAsLong();
    while (true) {
      long waitNanos;
      synchronized (this) {
        refill();
        if (tokens >= n) {
          tokens -= n;
          waits.accept(Duration.ofNanos(nanoTime.getAsLong() - started));
          return;
        }
        waitNanos = (long) Math.ceil((n - tokens) / tokensPerNano);
      }
      Thread.sleep(Duration.ofNanos(Math.max(waitNanos, 1_000_000)).toMillis());
    }
  }

  /**
   * Takes {@code n} tokens ahead of every caller waiting in {@link #acquire}, in advance if need
   * be, and waits only for their refill: for the one request a warm pool's claim makes before its
   * tool starts, which would otherwise queue behind a burst of launches' writes. The callers
   * waiting meanwhile wait the longer, by as many tokens; claims are few (one per ready pool pod).
   * An interruption is kept on the thread and answered as the runtime being unavailable.
   */
  public void takeAhead(int n) {
    Duration wait = reserve(n);
    if (wait.isZero()) {
      return;
    }
    try {
      Thread.sleep(Math.max(1, wait.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("interrupted while waiting for the API rate limit", e);
    }
  }

  /**
   * Takes {@code n} tokens now, in advance if need be, and says how long to wait before using them:
   * for callers that must not block, such as a request on its way to a service.
   */
  public Duration reserve(int n) {
    Duration wait;
    synchronized (this) {
      refill();
      tokens -= n;
      wait =
          tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / tokensPerNano));
    }
    waits.accept(wait);
    return wait;
  }

  /** Takes {@code n} tokens if they are available now; whether it did. */
  public synchronized boolean tryAcquire(int n) {
    refill();
    if (tokens >= n) {
      tokens -= n;
      return true;
    }
    return false;
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    tokens = Math.min(capacity, tokens + (now - lastRefill) * tokensPerNano);
    lastRefill = now;
  }
}
