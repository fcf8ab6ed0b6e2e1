package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.RequestTimeoutException;
import dev.toolrun.domain.error.UpstreamFailedException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.ToolName;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The process of one service instance in the {@link InMemoryWorkloadRuntime}: whether it listens,
 * which workload it is, and the requests it is answering through its {@link ServiceBehaviour}.
 *
 * <p>It listens once its run reports RUNNING. A killed process refuses connections until it is
 * replaced; replacing or removing it resets the connections of the requests in flight, which fail
 * as undeliverable. Answers never block the sender: the behaviour is asked on the runtime's
 * scheduler, which also enforces each request's timeout. Futures are completed outside the lock.
 * Thread-safe.
 */
final class ServiceProcess {
  private enum Status {
    /** The workload is starting: nothing listens yet. */
    STARTING,
    /** The process listens on the service's port. */
    LISTENING,
    /** The process died; the instance's workload remains until it is restarted or removed. */
    KILLED,
    /** The workload was removed; the process is gone for good. */
    REMOVED
  }

  private final InstanceId id;
  private final ToolName tool;
  private final ServiceSettings settings;
  private final ServiceBehaviour behaviour;
  private final ScheduledExecutorService scheduler;
  private final Set<CompletableFuture<ServiceResponse>> answering = ConcurrentHashMap.newKeySet();
  private Status status = Status.STARTING;
  private int workload = 1;

  ServiceProcess(
      InstanceId id,
      ToolName tool,
      ServiceSettings settings,
      ServiceBehaviour behaviour,
      ScheduledExecutorService scheduler) {
    this.id = requireNonNull(id, "id is null");
    this.tool = requireNonNull(tool, "tool is null");
    this.settings = requireNonNull(settings, "settings is null");
    this.behaviour = requireNonNull(behaviour, "behaviour is null");
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
  }

  /** The process started and listens; a process killed or removed before that stays down. */
  synchronized void listen() {
    if (status == Status.STARTING) {
      status = Status.LISTENING;
    }
  }

  /** The process dies; requests in flight lose their connection. Nothing happens once removed. */
  void kill() {
    reset(Status.KILLED, false, "the service's process died");
  }

  /**
   * A fresh workload, numbered one higher, replaces this one and starts; it listens once its run
   * reports RUNNING again. Requests in flight lose their connection.
   *
   * @return the number of the new workload; empty when the workload was removed already
   */
  OptionalInt replace() {
    return reset(Status.STARTING, true, "the service was restarted");
  }

  /** The workload is removed for good; requests in flight lose their connection. */
  void remove() {
    reset(Status.REMOVED, false, "the service's workload was removed");
  }

  private OptionalInt reset(Status next, boolean newWorkload, String why) {
    List<CompletableFuture<ServiceResponse>> cut;
    OptionalInt changed = OptionalInt.empty();
    synchronized (this) {
      if (status != Status.REMOVED) {
        status = next;
        workload += newWorkload ? 1 : 0;
        changed = OptionalInt.of(workload);
      }
      cut = List.copyOf(answering);
    }
    cut.forEach(
        answer ->
            answer.completeExceptionally(undeliverable("the connection was reset: " + why, null)));
    return changed;
  }

  /**
   * Sends {@code request} to {@code port}: the behaviour's answer, {@link RequestTimeoutException}
   * when none came within {@code timeout}, or {@link UpstreamFailedException} when it could not be
   * delivered or the behaviour failed.
   */
  CompletableFuture<ServiceResponse> send(int port, ServiceRequest request, Duration timeout) {
    CompletableFuture<ServiceResponse> answer = new CompletableFuture<>();
    ServiceCall call;
    synchronized (this) {
      String refusal = refusal(port);
      if (refusal != null) {
        return CompletableFuture.failedFuture(undeliverable(refusal, null));
      }
      answering.add(answer);
      call = new ServiceCall(id, tool, workload, request, settings.healthPath(), scheduler);
    }
    answer.whenComplete((response, failure) -> answering.remove(answer));
    try {
      ScheduledFuture<?> deadline =
          scheduler.schedule(
              () -> answer.completeExceptionally(new RequestTimeoutException(id, timeout)),
              timeout.toNanos(),
              TimeUnit.NANOSECONDS);
      answer.whenComplete((response, failure) -> deadline.cancel(false));
      scheduler.execute(() -> ask(call, answer));
    } catch (RejectedExecutionException e) {
      answer.completeExceptionally(undeliverable("the in-memory runtime is closed", e));
    }
    return answer;
  }

  // Why a connection to port is refused now; null when it is accepted.
  private String refusal(int port) {
    return switch (status) {
      case STARTING -> "connection refused: the service's process has not started yet";
      case KILLED -> "connection refused: the service's process died and was not restarted";
      case REMOVED -> "the service's workload was removed";
      case LISTENING ->
          port == settings.port()
              ? null
              : "connection refused: the service listens on port %d, not %d"
                  .formatted(settings.port(), port);
    };
  }

  private void ask(ServiceCall call, CompletableFuture<ServiceResponse> answer) {
    if (answer.isDone()) {
      // Timed out or reset before the service got to it.
      return;
    }
    CompletionStage<ServiceResponse> reply;
    try {
      reply = requireNonNull(behaviour.answer(call), "the service behaviour answered null");
    } catch (RuntimeException e) {
      answer.completeExceptionally(undeliverable("the service failed: " + e.getMessage(), e));
      return;
    }
    reply.whenComplete(
        (response, failure) -> {
          if (failure != null) {
            answer.completeExceptionally(asUpstreamFailure(failure));
          } else if (response == null) {
            answer.completeExceptionally(undeliverable("the service answered nothing", null));
          } else {
            answer.complete(response);
          }
        });
  }

  // A behaviour may fail with the port's own errors; anything else is the service's failure.
  private Throwable asUpstreamFailure(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    if (cause instanceof UpstreamFailedException || cause instanceof RequestTimeoutException) {
      return cause;
    }
    return undeliverable("the service failed: " + cause.getMessage(), cause);
  }

  private UpstreamFailedException undeliverable(String why, Throwable cause) {
    return new UpstreamFailedException(id, why, cause);
  }
}
