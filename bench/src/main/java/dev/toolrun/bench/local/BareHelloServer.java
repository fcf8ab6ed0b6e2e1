package dev.toolrun.bench.local;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

/**
 * The HTTP baseline: a Vert.x 5 server that answers every request with a small JSON document and
 * does nothing else, so toolrun's rate divided by its rate is the share of Vert.x's own speed that
 * toolrun keeps.
 *
 * <p>It is set up exactly as toolrun's HTTP API is ({@code HttpApi.start()}): a default {@code
 * Vertx.vertx()} and one {@link HttpServer} created outside any verticle, hence served by a single
 * event loop. A GET is answered at once; any other request once its body has arrived, with 201, as
 * a launch is.
 *
 * <p>Usage: {@code BareHelloServer <port> [body-file]} (port 0 for any free port). With a body file
 * it answers a GET with that file's bytes and the headers toolrun's API sends with a JSON answer
 * ({@code X-Content-Type-Options}, {@code Cache-Control}, {@code Content-Type}, {@code
 * Content-Length}): bench/local gives it the very body toolrun answers a GET of an instance with,
 * so that the two servers write the same bytes. It prints {@value #READY_PREFIX} followed by the
 * port once it listens, and serves until killed.
 */
public final class BareHelloServer {
  static final String READY_PREFIX = "BareHelloServer listening on port ";
  private static final Buffer HELLO = Buffer.buffer("{\"message\":\"hello\"}");
  private static Buffer body = HELLO;
  private static boolean toolrunHeaders;

  private BareHelloServer() {}

  public static void main(String[] args) throws java.io.IOException {
    if (args.length != 1 && args.length != 2) {
      throw new IllegalArgumentException("usage: BareHelloServer <port> [body-file]");
    }
    if (args.length == 2) {
      body = Buffer.buffer(java.nio.file.Files.readAllBytes(java.nio.file.Path.of(args[1])));
      toolrunHeaders = true;
    }
    HttpServer server =
        Vertx.vertx()
            .createHttpServer()
            .requestHandler(BareHelloServer::answer)
            .listen(Integer.parseInt(args[0]), "127.0.0.1")
            .await();
    System.out.println(READY_PREFIX + server.actualPort());
  }

  private static void answer(HttpServerRequest request) {
    if (request.method() == HttpMethod.GET) {
      respond(request, 200);
    } else {
      request.body().onSuccess(body -> respond(request, 201));
    }
  }

  private static void respond(HttpServerRequest request, int status) {
    if (toolrunHeaders && status == 200) {
      request
          .response()
          .setStatusCode(status)
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
          .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()))
          .end(body);
      return;
    }
    request
        .response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(HELLO);
  }
}
