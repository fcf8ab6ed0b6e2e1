package dev.toolrun.adapter.k8s;

/**
 * A client-side limit on the requests toolrun sends to the API server, as a token bucket: {@code
 * qps} requests per second on average, bursts of up to {@code burst}. fabric8 has none of its own.
 */
public record ApiRateLimit(double qps, int burst) {
  /** What the Kubernetes controller manager and Argo Workflows use by default. */
  public static final ApiRateLimit DEFAULT = new ApiRateLimit(20, 30);

  /**
   * For requests to services through the API server proxy: they touch no storage, so they may come
   * far more often than toolrun's writes.
   */
  public static final ApiRateLimit SERVICE_PROXY_DEFAULT = new ApiRateLimit(200, 400);

  public ApiRateLimit {
    if (!(qps > 0) || qps > 10_000) {
      throw new IllegalArgumentException("qps must be between 0 (exclusive) and 10000, was " + qps);
    }
    if (burst < 1 || burst > 10_000) {
      throw new IllegalArgumentException("burst must be between 1 and 10000, was " + burst);
    }
  }
}
