package dev.toolrun.adapter.k8s.service;

import dev.toolrun.domain.error.RequestTimeoutException;
import dev.toolrun.domain.error.UpstreamFailedException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import io.fabric8.kubernetes.api.model.Pod;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Delivers requests straight to the pod's IP, for a toolrun that runs inside the cluster network. A
 * plain HTTP client of its own: the Kubernetes credentials must never reach a tool's pod.
 */
public final class DirectPodChannel implements ServiceChannel {
  // The JDK client sets these itself and refuses them as request headers.
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  @Override
  public CompletableFuture<ServiceResponse> send(
      InstanceId id, Pod pod, int port, ServiceRequest request, Duration timeout) {
    String ip = pod.getStatus() == null ? null : pod.getStatus().getPodIP();
    if (ip == null || ip.isEmpty()) {
      return CompletableFuture.failedFuture(
          new UpstreamFailedException(
              id, "pod " + pod.getMetadata().getName() + " has no IP yet", null));
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create("http://" + ip + ":" + port + request.path()))
            .timeout(timeout)
            .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()));
    request
        .headers()
        .forEach(
            (name, values) -> {
              if (!RESTRICTED.contains(name)) {
                values.forEach(v -> builder.header(name, v));
              }
            });
    return http.sendAsync(builder.build(), HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                throw new CompletionException(
                    cause instanceof HttpTimeoutException
                        ? new RequestTimeoutException(id, timeout)
                        : new UpstreamFailedException(
                            id, String.valueOf(cause.getMessage()), cause));
              }
              return new ServiceResponse(
                  response.statusCode(), response.headers().map(), response.body());
            });
  }

  @Override
  public void close() {
    // The JDK client of Java 17 has no close; its threads are daemons.
  }
}
