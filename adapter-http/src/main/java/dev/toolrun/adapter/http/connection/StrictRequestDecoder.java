package dev.toolrun.adapter.http.connection;

import dev.toolrun.adapter.http.error.HttpErrorCode;
import dev.toolrun.adapter.http.error.Problem;
import dev.toolrun.adapter.http.error.ProblemException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpVersion;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.impl.VertxHttpRequestDecoder;
import java.util.List;
import java.util.Locale;

/**
 * Vert.x's request decoder, refusing every request whose body length is ambiguous (RFC 9112,
 * sections 6.1 and 6.3): one with both {@code Content-Length} and {@code Transfer-Encoding}, one
 * whose transfer coding is anything but {@code chunked}, and an HTTP/1.0 one with a transfer coding
 * at all. A front proxy may read such a request's length otherwise than toolrun does, and the bytes
 * they disagree on would run as a second, smuggled request.
 *
 * <p>Why in the decoder: Netty reads a request with both headers as chunked and <em>removes</em>
 * its {@code Content-Length} before anyone sees the request, so no Vert.x handler can tell. A
 * failure here makes the decoder hand Vert.x an invalid request, which {@link
 * dev.toolrun.adapter.http.error.UnparsableRequests} answers with 400 in the JSON error shape on a
 * closing connection, while the decoder discards every byte after it. Netty's documented hook for
 * the chunked case, {@code handleTransferEncodingChunkedWithContentLength}, is called only for
 * HTTP/1.1 and only when {@code chunked} is among the codings; {@link #isContentAlwaysEmpty} is
 * called for every request once its headers are complete and before its framing is chosen, so the
 * check sits there, whole, in one place.
 */
final class StrictRequestDecoder extends VertxHttpRequestDecoder {

  StrictRequestDecoder(HttpServerOptions options) {
    super(options);
  }

  @Override
  protected boolean isContentAlwaysEmpty(HttpMessage message) {
    if (message != null) {
      checkFraming(message.protocolVersion(), message.headers());
    }
    return super.isContentAlwaysEmpty(message);
  }

  /**
   * Fails unless the body's length follows from the headers in one way only.
   *
   * @throws ProblemException naming what is ambiguous
   */
  static void checkFraming(HttpVersion version, HttpHeaders headers) {
    List<String> codings = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (codings.isEmpty()) {
      return;
    }
    if (headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      throw refused(
          "the request has both Content-Length and Transfer-Encoding, so its length is ambiguous");
    }
    if (!HttpVersion.HTTP_1_1.equals(version)) {
      throw refused("an HTTP/1.0 request cannot have a Transfer-Encoding");
    }
    List<String> named =
        codings.stream()
            .flatMap(value -> List.of(value.split(",", -1)).stream())
            .map(coding -> coding.strip().toLowerCase(Locale.ROOT))
            .toList();
    if (!named.equals(List.of("chunked"))) {
      throw refused("the only Transfer-Encoding accepted is chunked, alone");
    }
  }

  private static ProblemException refused(String message) {
    return new ProblemException(Problem.of(HttpErrorCode.MALFORMED_REQUEST, message));
  }
}
