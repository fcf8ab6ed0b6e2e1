package dev.toolrun.adapter.k8s.service;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A way to deliver one HTTP request to a service instance's pod; never blocks the caller. */
public interface ServiceChannel extends AutoCloseable {

  /**
   * Sends {@code request} to {@code port} of {@code pod}; completes with the pod's answer, or
   * exceptionally with {@link dev.toolrun.domain.error.RequestTimeoutException} or {@link
   * dev.toolrun.domain.error.UpstreamFailedException}.
   */
  CompletableFuture<ServiceResponse> send(
      InstanceId id, Pod pod, int port, ServiceRequest request, Duration timeout);

  @Override
  void close();
}
