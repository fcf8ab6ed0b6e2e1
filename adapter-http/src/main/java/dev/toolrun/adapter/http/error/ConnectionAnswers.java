package dev.toolrun.adapter.http.error;

import dev.toolrun.adapter.http.mapping.JsonCodec;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The answers the connection layer writes straight onto a connection, below Vert.x, before it
 * closes it: there is no request object to answer through (the request's headers never came, or the
 * connection was refused as it opened). Each is a whole HTTP/1.1 response in the JSON error shape
 * that says the connection closes.
 */
public final class ConnectionAnswers {

  private ConnectionAnswers() {}

  /** 408: the request's {@code part} (its headers, its body) did not come within {@code millis}. */
  public static byte[] requestTimeout(String part, long millis) {
    return bytes(
        Problem.of(
            HttpErrorCode.REQUEST_TIMEOUT,
            "the request's %s did not arrive within %d ms".formatted(part, millis)));
  }

  /** 503: the server holds {@code limit} connections, as many as it may. */
  public static byte[] serverFull(int limit) {
    return bytes(
        Problem.of(
                HttpErrorCode.TOO_MANY_CONNECTIONS,
                "the server holds %d connections, its limit; try again later".formatted(limit))
            .withHeader("Retry-After", "1"));
  }

  /** 429: this client holds {@code limit} connections, as many as one client may. */
  public static byte[] clientFull(int limit) {
    return bytes(
        Problem.of(
                429,
                HttpErrorCode.TOO_MANY_CONNECTIONS,
                ("this client address holds %d connections, the limit per client; reuse one of"
                        + " them")
                    .formatted(limit))
            .withHeader("Retry-After", "1"));
  }

  static byte[] bytes(Problem problem) {
    byte[] body = JsonCodec.write(problem.body());
    StringBuilder head =
        new StringBuilder("HTTP/1.1 ")
            .append(HttpResponseStatus.valueOf(problem.status()))
            .append("\r\n");
    Map<String, String> headers =
        Map.of(
            "Content-Type", JsonCodec.MEDIA_TYPE,
            "Content-Length", Integer.toString(body.length),
            "Connection", "close",
            "X-Content-Type-Options", "nosniff",
            "Cache-Control", "no-store");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    problem
        .headers()
        .forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    byte[] start = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    byte[] answer = new byte[start.length + body.length];
    System.arraycopy(start, 0, answer, 0, start.length);
    System.arraycopy(body, 0, answer, start.length, body.length);
    return answer;
  }
}
