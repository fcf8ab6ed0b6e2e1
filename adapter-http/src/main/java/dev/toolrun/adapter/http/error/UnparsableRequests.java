package dev.toolrun.adapter.http.error;

import dev.toolrun.adapter.http.mapping.JsonCodec;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Answers the requests that the HTTP codec could not parse, which never reach the router: a request
 * line or headers beyond the server's limits, a request that is not HTTP/1.x, or one whose framing
 * the decoder refused. They get the same JSON error body as every other failure.
 */
public final class UnparsableRequests {
  private static final Logger LOG = System.getLogger(UnparsableRequests.class.getName());

  /** How long a refused connection stays open for the client to read its answer. */
  private static final Duration LINGER = Duration.ofSeconds(1);

  private UnparsableRequests() {}

  /**
   * The server's handler for invalid requests. The connection is closed after the answer, since
   * what follows on it cannot be trusted; the answer says so, lest the client send its next request
   * on it.
   *
   * @param maxLineBytes the server's limit on the request line
   * @param maxHeaderBytes the server's limit on the headers
   */
  public static Handler<HttpServerRequest> handler(int maxLineBytes, int maxHeaderBytes) {
    return request -> {
      Throwable cause = request.decoderResult().cause();
      Problem problem;
      if (cause instanceof ProblemException refused) {
        // The decoder's own check refused it: a request whose length is ambiguous, say.
        problem = refused.problem();
      } else if (cause instanceof TooLongHttpLineException) {
        problem =
            malformed(
                414,
                "the request line (method, path and query) exceeds the limit of %d bytes"
                    .formatted(maxLineBytes));
      } else if (cause instanceof TooLongHttpHeaderException) {
        problem =
            malformed(
                431, "the request headers exceed the limit of %d bytes".formatted(maxHeaderBytes));
      } else {
        problem = malformed(400, "the request is not valid HTTP");
      }
      LOG.log(Level.DEBUG, "refused a request the HTTP codec could not parse: {0}", cause);
      request
          .response()
          .setStatusCode(problem.status())
          .putHeader(HttpHeaders.CONTENT_TYPE, JsonCodec.MEDIA_TYPE)
          .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(Buffer.buffer(JsonCodec.write(problem.body())))
          .onComplete(sent -> closeAfterLinger(request));
    };
  }

  /**
   * Closes the connection a moment after the answer, not at once. The client is often still sending
   * what the codec refused (the rest of a 100 KB request line): closing a socket with unread input
   * makes the kernel reset the connection, and the reset can destroy the answer before the client
   * reads it. Meanwhile the codec discards whatever else arrives.
   */
  private static void closeAfterLinger(HttpServerRequest request) {
    Context context = Vertx.currentContext();
    if (context == null) {
      request.connection().close();
      return;
    }
    context.owner().setTimer(LINGER.toMillis(), timer -> request.connection().close());
  }

  private static Problem malformed(int status, String message) {
    return Problem.of(status, HttpErrorCode.MALFORMED_REQUEST, message);
  }
}
