package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * The code behind one operation.
 *
 * <p>Every handler answers with a stage. The stage of a {@link #blocking} or {@link #immediate}
 * endpoint is complete when the handler returns; a {@link #deferred} endpoint's stage completes
 * later, and no thread waits for it meanwhile.
 *
 * @param blocking asked before each request: whether the handler may block (it calls a use case,
 *     which may do I/O) and so runs on a worker thread; otherwise it runs on the event loop
 */
record Endpoint(DeferredHandler handler, BooleanSupplier blocking) {
  private static final BooleanSupplier ALWAYS = () -> true;
  private static final BooleanSupplier NEVER = () -> false;

  Endpoint {
    requireNonNull(handler, "handler is null");
    requireNonNull(blocking, "blocking is null");
  }

  /** An endpoint that calls use cases and so runs off the event loop. */
  static Endpoint blocking(Handler handler) {
    return new Endpoint(completed(handler), ALWAYS);
  }

  /**
   * An endpoint that calls a use case which says, request by request, whether it may block: it runs
   * on the event loop whenever {@code mayBlock} answers false, which saves the two hand-offs to a
   * worker thread and back.
   */
  static Endpoint blockingWhen(BooleanSupplier mayBlock, Handler handler) {
    return new Endpoint(completed(handler), mayBlock);
  }

  /** An endpoint that only computes its answer and may run on the event loop. */
  static Endpoint immediate(Handler handler) {
    return new Endpoint(completed(handler), NEVER);
  }

  /**
   * An endpoint whose use case answers later: the handler runs on a worker thread only until it has
   * handed the request to the use case, and the answer comes back to the event loop.
   */
  static Endpoint deferred(DeferredHandler handler) {
    return new Endpoint(handler, ALWAYS);
  }

  private static DeferredHandler completed(Handler handler) {
    requireNonNull(handler, "handler is null");
    return request -> CompletableFuture.completedFuture(handler.handle(request));
  }

  /** Turns a validated request into the reply to send; failures are thrown. */
  @FunctionalInterface
  interface Handler {
    Reply handle(ApiRequest request);
  }

  /**
   * Turns a validated request into the reply to send once it is known; failures are thrown, or
   * complete the stage.
   */
  @FunctionalInterface
  interface DeferredHandler {
    CompletionStage<Reply> handle(ApiRequest request);
  }
}
