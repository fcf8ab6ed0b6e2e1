package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import java.util.concurrent.CompletionStage;

/**
 * Forwards a request to a serving service instance and returns its answer. At most the tool's
 * {@code maxConcurrentRequests} are in flight per instance; more wait a bounded time for a slot.
 */
public interface ExecuteRequestUseCase {

  /**
   * Forwards the command's request. Never blocks: the answer, or the reason there is none, comes
   * through the returned stage.
   *
   * <p>The stage fails with {@link dev.toolrun.domain.error.InstanceNotFoundException}, {@link
   * dev.toolrun.domain.error.InstanceNotServingException} (not a service, or not SERVING), {@link
   * dev.toolrun.domain.error.TooManyRequestsException} (no slot freed in time), {@link
   * dev.toolrun.domain.error.RequestTimeoutException} (no answer within the request timeout) or
   * {@link dev.toolrun.domain.error.UpstreamFailedException} (not delivered).
   */
  CompletionStage<ServiceResponse> execute(ExecuteRequestCommand command);

  /** Which instance, and what to send it. */
  record ExecuteRequestCommand(InstanceId id, ServiceRequest request) {
    public ExecuteRequestCommand {
      requireNonNull(id, "id is null");
      requireNonNull(request, "request is null");
    }
  }
}
