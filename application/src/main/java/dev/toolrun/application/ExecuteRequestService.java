package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.InstanceNotServingException;
import dev.toolrun.domain.error.RequestTimeoutException;
import dev.toolrun.domain.error.TooManyRequestsException;
import dev.toolrun.domain.error.ToolrunException;
import dev.toolrun.domain.error.UpstreamFailedException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.ports.in.ExecuteRequestUseCase;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.RunMetrics;
import dev.toolrun.ports.out.RunMetrics.RequestOutcome;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Forwards requests to serving instances through their request gate, so no instance ever has more
 * than its {@code maxConcurrentRequests} in flight. A slot is given back only when the runtime's
 * call has ended, not when toolrun stopped waiting for it.
 */
final class ExecuteRequestService implements ExecuteRequestUseCase {
  // The runtime enforces the request timeout itself; this is the backstop should it not.
  private static final long BACKSTOP_MILLIS = 5_000;

  private final InstanceRepository instances;
  private final WorkloadRuntime runtime;
  private final ServiceInstanceDirectory directory;
  private final ScheduledExecutorService timer;
  private final RunMetrics metrics;

  ExecuteRequestService(
      InstanceRepository instances,
      WorkloadRuntime runtime,
      ServiceInstanceDirectory directory,
      ScheduledExecutorService timer,
      RunMetrics metrics) {
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.instances = requireNonNull(instances, "instances is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.directory = requireNonNull(directory, "directory is null");
    this.timer = requireNonNull(timer, "timer is null");
  }

  @Override
  public CompletionStage<ServiceResponse> execute(ExecuteRequestCommand command) {
    InstanceId id = command.id();
    long started = System.nanoTime();
    Optional<Instance> found;
    try {
      found = instances.find(id);
    } catch (ToolrunException e) {
      // The records cannot be read (the store is away): the caller learns it from the stage.
      return CompletableFuture.failedFuture(e);
    }
    CompletionStage<ServiceResponse> answer = execute(command, found);
    // An instance that does not exist has no tool to count it by; the HTTP server's metrics do.
    found.ifPresent(
        instance ->
            answer.whenComplete(
                (response, failure) -> measure(instance, started, response, failure)));
    return answer;
  }

  private CompletionStage<ServiceResponse> execute(
      ExecuteRequestCommand command, Optional<Instance> found) {
    InstanceId id = command.id();
    ServiceSettings settings;
    try {
      Instance instance = found.orElseThrow(() -> new InstanceNotFoundException(id));
      if (instance.mode() != ToolMode.SERVICE) {
        throw new InstanceNotServingException(
            id, instance.state(), "it is a task; only service instances take requests");
      }
      if (instance.state() != InstanceState.SERVING) {
        throw new InstanceNotServingException(
            id,
            instance.state(),
            instance.isTerminal() ? "it has ended" : "it takes requests once it is SERVING");
      }
      settings =
          directory
              .settings(id)
              .orElseThrow(
                  () ->
                      new InstanceNotServingException(
                          id, instance.state(), "its tool version is gone"));
    } catch (ToolrunException e) {
      return CompletableFuture.failedFuture(e);
    }
    ServiceInstanceRequestGate gate = directory.gate(id, settings);
    return gate.acquire(settings.requestTimeout(), timer)
        .thenCompose(
            slot -> forward(command, settings).whenComplete((answer, failure) -> gate.release()))
        .exceptionallyCompose(
            failure -> CompletableFuture.failedFuture(explain(id, settings, failure)));
  }

  private void measure(
      Instance instance, long started, ServiceResponse response, Throwable failure) {
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    RequestOutcome outcome;
    if (cause == null) {
      outcome = RequestOutcome.ANSWERED;
    } else if (cause instanceof TooManyRequestsException) {
      outcome = RequestOutcome.TOO_MANY_REQUESTS;
    } else if (cause instanceof RequestTimeoutException) {
      outcome = RequestOutcome.TIMED_OUT;
    } else if (cause instanceof InstanceNotServingException
        || cause instanceof InstanceNotFoundException) {
      outcome = RequestOutcome.NOT_SERVING;
    } else {
      outcome = RequestOutcome.UPSTREAM_FAILED;
    }
    metrics.serviceRequest(
        instance.toolName(),
        outcome,
        Optional.ofNullable(response).map(ServiceResponse::status),
        took);
  }

  private CompletableFuture<ServiceResponse> forward(
      ExecuteRequestCommand command, ServiceSettings settings) {
    try {
      return runtime
          .send(command.id(), settings.port(), command.request(), settings.requestTimeout())
          .toCompletableFuture()
          .orTimeout(settings.requestTimeout().toMillis() + BACKSTOP_MILLIS, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Throwable explain(InstanceId id, ServiceSettings settings, Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof ToolrunException) {
      return cause;
    }
    if (cause instanceof ServiceInstanceRequestGate.ClosedException) {
      // The instance began to stop (or ended) while the request waited for a slot.
      return instances
          .find(id)
          .<Throwable>map(
              i -> new InstanceNotServingException(id, i.state(), "it stopped taking requests"))
          .orElseGet(() -> new InstanceNotFoundException(id));
    }
    if (cause instanceof TimeoutException) {
      return new RequestTimeoutException(id, settings.requestTimeout());
    }
    return new UpstreamFailedException(id, String.valueOf(cause.getMessage()), cause);
  }
}
