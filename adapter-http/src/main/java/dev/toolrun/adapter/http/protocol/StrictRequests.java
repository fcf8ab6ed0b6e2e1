package dev.toolrun.adapter.http.protocol;

import dev.toolrun.adapter.http.error.HttpErrorCode;
import dev.toolrun.adapter.http.error.Problem;
import dev.toolrun.adapter.http.error.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * The router's first handler, for every path (the mounted ones too): it refuses a request that the
 * rest of the server would read leniently.
 *
 * <ul>
 *   <li>More than one {@code Authorization} header: 400, not 401. The request is malformed (the
 *       header is not a list, RFC 9110 section 5.3), and which of the two a server or a proxy
 *       believes is anyone's guess; a 401 would invite the client to retry with credentials it
 *       already sent.
 *   <li>A path or query that is not strictly UTF-8 once percent-decoded: an overlong form ({@code
 *       %C0%AE} for {@code .}) or a surrogate ({@code %ED%A0%80}) gets 400, lest a lenient decoder
 *       turn {@code %C0%AE%C0%AE%C0%AF} into {@code ../}. Malformed escapes ({@code %zz}) are left
 *       to the decoders that refuse them later.
 *   <li>A body whose media type is not {@code application/json}: 415, before the body is read. Only
 *       that type is accepted, with an optional {@code charset=utf-8}; {@code +json} types such as
 *       {@code application/merge-patch+json} are refused too, since they mean a different operation
 *       than the one toolrun performs.
 * </ul>
 */
public final class StrictRequests implements Handler<RoutingContext> {
  private static final String JSON = "application/json";
  private static final int MAX_ECHOED_TYPE = 100;

  @Override
  public void handle(RoutingContext rc) {
    problem(rc.request()).ifPresentOrElse(p -> rc.fail(new ProblemException(p)), rc::next);
  }

  private static Optional<Problem> problem(HttpServerRequest request) {
    if (request.headers().getAll(HttpHeaders.AUTHORIZATION).size() > 1) {
      return Optional.of(
          Problem.of(
              HttpErrorCode.MALFORMED_REQUEST,
              "the request has more than one Authorization header; send exactly one"));
    }
    String uri = request.uri();
    int query = uri.indexOf('?');
    if (!strictUtf8(query < 0 ? uri : uri.substring(0, query))) {
      return Optional.of(
          Problem.of(
              HttpErrorCode.MALFORMED_REQUEST,
              "the request path is not valid UTF-8 once percent-decoded"));
    }
    if (query >= 0 && !strictUtf8(uri.substring(query + 1))) {
      return Optional.of(
          Problem.of(
              HttpErrorCode.MALFORMED_REQUEST,
              "the query string is not valid UTF-8 once percent-decoded"));
    }
    if (hasBody(request) && !isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))) {
      return Optional.of(
          Problem.of(
              HttpErrorCode.UNSUPPORTED_MEDIA_TYPE,
              "the request body must be application/json, not "
                  + describe(request.getHeader(HttpHeaders.CONTENT_TYPE))));
    }
    return Optional.empty();
  }

  /**
   * Whether {@code text}, percent-decoded, is strictly UTF-8. The codec hands the request line over
   * one character per byte, so characters above 255 cannot come from it and are refused.
   */
  static boolean strictUtf8(String text) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
      int low = high < 0 ? -1 : Character.digit(text.charAt(i + 2), 16);
      if (c == '%' && low >= 0) {
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c > 0xff) {
        return false;
      } else {
        bytes.write(c);
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toByteArray()));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static boolean hasBody(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    // The decoder has refused a length that is not a number, and a Transfer-Encoding with one.
    return request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
        || (length != null && !length.strip().equals("0"));
  }

  /** Whether {@code contentType} is {@code application/json}, in UTF-8 if it names a charset. */
  static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String[] parts = contentType.split(";", -1);
    if (!parts[0].strip().toLowerCase(Locale.ROOT).equals(JSON)) {
      return false;
    }
    for (int i = 1; i < parts.length; i++) {
      String parameter = parts[i].strip();
      int equals = parameter.indexOf('=');
      if (equals > 0
          && parameter.substring(0, equals).strip().equalsIgnoreCase("charset")
          && !unquoted(parameter.substring(equals + 1).strip()).equalsIgnoreCase("utf-8")) {
        return false;
      }
    }
    return true;
  }

  private static String unquoted(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }

  private static String describe(String contentType) {
    if (contentType == null) {
      return "a body without a Content-Type";
    }
    String shown =
        contentType.length() <= MAX_ECHOED_TYPE
            ? contentType
            : contentType.substring(0, MAX_ECHOED_TYPE - 3) + "...";
    return "'" + shown + "'";
  }
}
