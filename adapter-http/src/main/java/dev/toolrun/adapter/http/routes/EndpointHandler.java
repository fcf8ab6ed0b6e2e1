package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Runs endpoints for the router and sends their replies.
 *
 * <p>Use cases may block, so endpoints that call them run on Vert.x worker threads and the event
 * loop only moves bytes; a read whose use case says it will not block right now is answered on the
 * event loop. A use case that answers later (a request forwarded to a service) holds a worker
 * thread only until it has taken the request; its answer is sent from the request's event loop when
 * it comes.
 */
final class EndpointHandler {
  /** Where {@link ApiRouter} marks a request that came as HEAD before it is served as a GET. */
  static final String HEAD = "toolrun.head";

  private final Vertx vertx;
  private final Duration heartbeat;

  EndpointHandler(Vertx vertx, Duration heartbeat) {
    this.vertx = requireNonNull(vertx, "vertx is null");
    this.heartbeat = requireNonNull(heartbeat, "heartbeat is null");
  }

  /** The router's handler for {@code endpoint}; failures go to the router's failure handler. */
  Handler<RoutingContext> of(Endpoint endpoint) {
    return rc -> {
      ApiRequest request = ApiRequest.of(rc);
      // The request's own event loop: an answer that comes later, on whichever thread completed
      // it, is sent from here.
      Context context = vertx.getOrCreateContext();
      Future<CompletionStage<Reply>> handled =
          endpoint.blocking().getAsBoolean()
              // Unordered: requests of one connection need not wait for each other's use cases.
              ? vertx.executeBlocking(() -> endpoint.handler().handle(request), false)
              : onThisThread(endpoint, request);
      // NOTE: a deferred answer MUST NOT be awaited on a worker thread. The worker is given back
      // once the handler has returned its stage; otherwise slow services would exhaust the pool.
      handled
          .compose(stage -> Future.fromCompletionStage(stage, context))
          .onComplete(
              done -> {
                if (done.succeeded()) {
                  send(rc, done.result(), heartbeat);
                } else {
                  rc.fail(unwrap(done.cause()));
                }
              });
    };
  }

  // A failure thrown here reaches the router's failure handler as one thrown on a worker would.
  private static Future<CompletionStage<Reply>> onThisThread(
      Endpoint endpoint, ApiRequest request) {
    try {
      return Future.succeededFuture(endpoint.handler().handle(request));
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  // A stage derived from a failed one fails with the original failure wrapped; the error mapping
  // needs the original.
  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static void send(RoutingContext rc, Reply reply, Duration heartbeat) {
    HttpServerResponse response = rc.response();
    if (response.closed() || response.ended()) {
      reply.events().ifPresent(EventStream.Source::close);
      return;
    }
    if (reply.events().isPresent()) {
      EventStream.serve(
          rc, reply.headers(), reply.events().get(), heartbeat, Boolean.TRUE.equals(rc.get(HEAD)));
      return;
    }
    reply.headers().forEach(response::putHeader);
    response.setStatusCode(reply.status());
    if (reply.contentType() == null) {
      response.end();
    } else {
      // Set here, not left to Vert.x, which leaves it out for HEAD: a HEAD answer has the headers
      // of the GET answer.
      response
          .putHeader(HttpHeaders.CONTENT_TYPE, reply.contentType())
          .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(reply.body().length))
          .end(Buffer.buffer(reply.body()));
    }
  }
}
