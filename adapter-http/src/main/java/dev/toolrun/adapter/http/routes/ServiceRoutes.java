package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.toolrun.adapter.http.contract.ApiOperation;
import dev.toolrun.adapter.http.dto.ServiceRequestEnvelope;
import dev.toolrun.adapter.http.mapping.ServiceRequestMapper;
import dev.toolrun.ports.in.ExecuteRequestUseCase;
import dev.toolrun.ports.in.ExecuteRequestUseCase.ExecuteRequestCommand;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * {@code /v1/instances/{id}/requests}: HTTP requests forwarded to serving service instances, each
 * sent and answered in a JSON envelope.
 *
 * <p>A service may take long to answer, and hundreds of requests may wait at once, so no thread
 * waits for an answer: the envelope is read and handed to the use case on a worker thread, which is
 * then free, and the answer is encoded on the thread that completes the use case's stage.
 */
public final class ServiceRoutes extends Routes {
  private final ExecuteRequestUseCase execute;

  /** Routes forwarding requests through {@code execute}. */
  @Inject
  public ServiceRoutes(ExecuteRequestUseCase execute) {
    this.execute = requireNonNull(execute, "execute is null");
  }

  @Override
  Map<ApiOperation, Endpoint> endpoints() {
    return Map.of(ApiOperation.EXECUTE_REQUEST, Endpoint.deferred(this::execute));
  }

  private CompletionStage<Reply> execute(ApiRequest request) {
    ExecuteRequestCommand command =
        ServiceRequestMapper.toCommand(
            request.path("id"), request.body(ServiceRequestEnvelope.class));
    long started = System.nanoTime();
    return execute
        .execute(command)
        .thenApply(
            answer ->
                Reply.ok(
                    ServiceRequestMapper.toResponse(
                        answer, Duration.ofNanos(System.nanoTime() - started))));
  }
}
