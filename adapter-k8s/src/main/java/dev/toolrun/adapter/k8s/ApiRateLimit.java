package dev.toolrun.adapter.k8s;

/**
 * A client-side limit on the requests toolrun sends to the API server, as a token bucket: {@code
 * qps} requests per second on average, bursts of up to {@code burst}. fabric8 has none of its own.
 */
public record ApiRateLimit(double qps, int burst) {
  /** What the Kubernetes controller manager and Argo Workflows use by default. */
  public static final ApiRateLimit DEFAULT = new ApiRateLimit(20, 30);

  public ApiRateLimit {
    if (!(qps > 0) || qps > 10_000) {
      throw new IllegalArgumentException("kubernetes.api-qps must be between 0 (exclusive) and 10000, was " + qps);
    }
    if (burst < 1 || burst > 10_000) {
      throw new IllegalArgumentException("kubernetes.api-burst must be between 1 and 10000, was " + burst);
    }
  }
}
