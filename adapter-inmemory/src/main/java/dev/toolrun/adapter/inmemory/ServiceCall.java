package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.tool.ToolName;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One request arriving at a service workload of the {@link InMemoryWorkloadRuntime}, with what its
 * {@link ServiceBehaviour} may need to answer it.
 */
public final class ServiceCall {
  private final InstanceId instance;
  private final ToolName tool;
  private final int workload;
  private final ServiceRequest request;
  private final String healthPath;
  // Not exposed: behaviours time their answers through after(), never by holding a thread.
  private final ScheduledExecutorService scheduler;

  ServiceCall(
      InstanceId instance,
      ToolName tool,
      int workload,
      ServiceRequest request,
      String healthPath,
      ScheduledExecutorService scheduler) {
    this.instance = requireNonNull(instance, "instance is null");
    this.tool = requireNonNull(tool, "tool is null");
    this.workload = workload;
    this.request = requireNonNull(request, "request is null");
    this.healthPath = requireNonNull(healthPath, "healthPath is null");
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
  }

  /** The service instance the request was sent to. */
  public InstanceId instance() {
    return instance;
  }

  /** The tool the instance runs. */
  public ToolName tool() {
    return tool;
  }

  /** Which workload of the instance answers: 1 for the first, one more after each restart. */
  public int workload() {
    return workload;
  }

  /** The request as the service receives it. */
  public ServiceRequest request() {
    return request;
  }

  /** Whether the request is a {@code GET} of the tool's health path (its query aside). */
  public boolean isHealthCheck() {
    String path = request.path();
    int query = path.indexOf('?');
    return request.method().equals("GET")
        && (query < 0 ? path : path.substring(0, query)).equals(healthPath);
  }

  /** A stage that completes {@code delay} from now, on the runtime's scheduler thread. */
  public CompletionStage<Void> after(Duration delay) {
    requireNonNull(delay, "delay is null");
    CompletableFuture<Void> elapsed = new CompletableFuture<>();
    try {
      scheduler.schedule(() -> elapsed.complete(null), delay.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      elapsed.completeExceptionally(
          new RuntimeUnavailableException("the in-memory runtime is closed", e));
    }
    return elapsed;
  }

  @Override
  public String toString() {
    return "ServiceCall[" + instance + " workload " + workload + ", " + request + "]";
  }
}
