package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.ServiceResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * How a service workload of the {@link InMemoryWorkloadRuntime} answers the requests sent to it.
 * Tests script one per tool or per workload with {@link InMemoryWorkloadRuntime#script}; unscripted
 * services behave as {@link #echo()}.
 *
 * <p>An answer may come at once, later, or never; the runtime enforces the caller's timeout. A
 * behaviour runs on the runtime's scheduler thread and must not block it: to answer later, return a
 * stage that completes later (see {@link #delayedBy} and {@link ServiceCall#after}).
 */
@FunctionalInterface
public interface ServiceBehaviour {

  /** The answer to {@code call}; a failed stage means the request could not be answered. */
  CompletionStage<ServiceResponse> answer(ServiceCall call);

  /**
   * What an unscripted service does: a {@code GET} of the tool's health path answers 200 {@code
   * {"status":"UP"}}, and every other request is echoed back as JSON with 200.
   */
  static ServiceBehaviour echo() {
    return DefaultService::answer;
  }

  /** A service that takes every request, health checks included, and never answers any. */
  static ServiceBehaviour silent() {
    return call -> new CompletableFuture<>();
  }

  /**
   * This behaviour, except that health checks pass (200 {@code {"status":"UP"}}) when {@code
   * healthy} accepts the check and fail (503 {@code {"status":"DOWN"}}) when it does not.
   */
  default ServiceBehaviour withHealth(Predicate<ServiceCall> healthy) {
    requireNonNull(healthy, "healthy is null");
    return call -> {
      if (!call.isHealthCheck()) {
        return answer(call);
      }
      return CompletableFuture.completedFuture(
          healthy.test(call)
              ? json(200, "{\"status\":\"UP\"}")
              : json(503, "{\"status\":\"DOWN\"}"));
    };
  }

  /** This behaviour, answering {@code delay} later, as timed by the runtime's scheduler. */
  default ServiceBehaviour delayedBy(Duration delay) {
    requireNonNull(delay, "delay is null");
    return call -> call.after(delay).thenCompose(ignored -> answer(call));
  }

  /** A response with {@code status} and the JSON text {@code body}, saying where it comes from. */
  static ServiceResponse json(int status, String body) {
    requireNonNull(body, "body is null");
    return new ServiceResponse(
        status,
        Map.of(
            "content-type", List.of("application/json"),
            "server", List.of(DefaultService.SERVER)),
        body.getBytes(StandardCharsets.UTF_8));
  }
}
