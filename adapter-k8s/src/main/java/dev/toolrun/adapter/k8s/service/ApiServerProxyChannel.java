package dev.toolrun.adapter.k8s.service;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.client.ApiRateLimiter;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.domain.error.RequestTimeoutException;
import dev.toolrun.domain.error.UpstreamFailedException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.ByteArrayInputStream;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Delivers requests through the API server's pod proxy, so toolrun reaches pods from anywhere it
 * reaches the API server, with its own credentials. Requests have a rate limit of their own ({@code
 * kubernetes.service-proxy-qps}), apart from toolrun's other API calls, and wait for it without
 * blocking a thread.
 *
 * <p>It uses a client of its own with fabric8's automatic retries turned off: fabric8 resends a
 * request that got a 5xx or 429, which would repeat a service's non-idempotent POST and hide its
 * errors. An answer of the API server itself ("error trying to reach service": 500 on Kubernetes
 * 1.20, 502 or 503 elsewhere) means the pod did not answer, and is reported as undeliverable with
 * the API server's reason (e.g. connection refused), not as the service's answer.
 */
public final class ApiServerProxyChannel implements ServiceChannel {

  private final KubernetesCluster cluster;
  private final ApiRateLimiter limiter;

  public ApiServerProxyChannel(KubernetesCluster cluster, ApiRateLimiter limiter) {
    this.cluster = requireNonNull(cluster, "cluster is null");
    this.limiter = requireNonNull(limiter, "limiter is null");
  }

  @Override
  public CompletableFuture<ServiceResponse> send(
      InstanceId id, Pod pod, int port, ServiceRequest request, Duration timeout) {
    Duration wait = limiter.reserve(1);
    if (wait.compareTo(timeout) >= 0) {
      return CompletableFuture.failedFuture(new RequestTimeoutException(id, timeout));
    }
    if (!wait.isZero()) {
      Duration left = timeout.minus(wait);
      return CompletableFuture.supplyAsync(
              () -> forward(id, pod, port, request, left),
              CompletableFuture.delayedExecutor(wait.toNanos(), TimeUnit.NANOSECONDS))
          .thenCompose(answer -> answer);
    }
    return forward(id, pod, port, request, timeout);
  }

  private CompletableFuture<ServiceResponse> forward(
      InstanceId id, Pod pod, int port, ServiceRequest request, Duration timeout) {
    KubernetesClient client = cluster.clientWithoutRetries();
    String url =
        "%sapi/v1/namespaces/%s/pods/%s:%d/proxy%s"
            .formatted(
                baseUrl(client),
                cluster.namespace(),
                pod.getMetadata().getName(),
                port,
                request.path());
    HttpRequest.Builder builder =
        client
            .getHttpClient()
            .newHttpRequestBuilder()
            .uri(url)
            .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    String contentType =
        request.headers().getOrDefault("content-type", List.of()).stream().findFirst().orElse(null);
    byte[] body = request.body();
    builder.method(
        request.method(), contentType, new ByteArrayInputStream(body), (long) body.length);
    request
        .headers()
        .forEach(
            (name, values) -> {
              if (!name.equals("content-type") && !name.equals("authorization")) {
                values.forEach(v -> builder.header(name, v));
              }
            });
    long started = System.nanoTime();
    return client
        .getHttpClient()
        .sendAsync(builder.build(), byte[].class)
        .handle(
            (response, failure) -> {
              if (failure != null) {
                throw new CompletionException(undelivered(id, timeout, failure));
              }
              Optional<String> unreached = unreached(response, client.getKubernetesSerialization());
              if (unreached.isPresent()) {
                throw new CompletionException(
                    new UpstreamFailedException(
                        id,
                        "the API server could not reach pod %s on port %d: %s"
                            .formatted(pod.getMetadata().getName(), port, unreached.get()),
                        null));
              }
              return new ServiceResponse(response.code(), headers(response), body(response));
            });
  }

  private static String baseUrl(KubernetesClient client) {
    String master = client.getMasterUrl().toString();
    return master.endsWith("/") ? master : master + "/";
  }

  private static byte[] body(HttpResponse<byte[]> response) {
    return response.body() == null ? new byte[0] : response.body();
  }

  private static Map<String, List<String>> headers(HttpResponse<byte[]> response) {
    return response.headers();
  }

  /**
   * The API server's own reason when it, not the service, answered: the proxy answers a Status
   * object of its own (500 on Kubernetes 1.20, 502 or 503 on others) whose message says why the pod
   * did not answer, e.g. {@code error trying to reach service: dial tcp 10.88.0.5:8000: connect:
   * connection refused}. A service's own 500 is the service's answer.
   */
  static Optional<String> unreached(
      HttpResponse<byte[]> response, KubernetesSerialization serialization) {
    if (response.code() != 500 && response.code() != 502 && response.code() != 503) {
      return Optional.empty();
    }
    String text = new String(body(response), StandardCharsets.UTF_8);
    if (!text.contains("\"kind\":\"Status\"") || !text.contains("error trying to reach service")) {
      return Optional.empty();
    }
    try {
      Status status = serialization.unmarshal(text, Status.class);
      if (status.getMessage() != null && !status.getMessage().isBlank()) {
        return Optional.of(status.getMessage());
      }
    } catch (RuntimeException notAStatus) {
      // Fall back to the body itself below.
    }
    return Optional.of(text);
  }

  private static RuntimeException undelivered(InstanceId id, Duration timeout, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof TimeoutException
        || cause instanceof HttpTimeoutException
        || String.valueOf(cause.getMessage()).contains("timeout period")) {
      return new RequestTimeoutException(id, timeout);
    }
    return new UpstreamFailedException(id, String.valueOf(cause.getMessage()), cause);
  }

  @Override
  public void close() {
    // The client belongs to the cluster connection.
  }
}
