package dev.toolrun.app;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One generated HTTP request of the fuzz test.
 *
 * @param kind the generator that made it, for the statistics
 * @param target the request target (path and query) as it goes on the request line, with {@link
 *     #KNOWN_ID} and {@link #KNOWN_CURSOR} standing for values the run has learned; characters
 *     stand for the bytes 0 to 255
 * @param headers the headers in order, values as bytes 0 to 255 (so UTF-8 arrives as UTF-8)
 * @param version the protocol on the request line; only {@link Transport#RAW} sends another than
 *     HTTP/1.1
 * @param body the body; {@code null} for none
 * @param auth whether the request carries the right bearer token
 * @param transport how it travels
 * @param pick which of the learned values the placeholders stand for
 */
record FuzzRequest(
    String kind,
    String method,
    String target,
    String version,
    List<Header> headers,
    byte[] body,
    Auth auth,
    Transport transport,
    int pick) {
  static final String KNOWN_ID = "{known-id}";
  static final String KNOWN_CURSOR = "{known-cursor}";
  private static final int PREVIEW = 300;

  FuzzRequest {
    requireNonNull(kind, "kind is null");
    requireNonNull(method, "method is null");
    requireNonNull(target, "target is null");
    requireNonNull(version, "version is null");
    headers = List.copyOf(headers);
    requireNonNull(auth, "auth is null");
    requireNonNull(transport, "transport is null");
  }

  /** One header line; one without a name is sent as its value alone (raw requests only). */
  record Header(String name, String value) {
    String line() {
      return name.isEmpty() ? value : name + ": " + value;
    }
  }

  /** Whether the request authenticates, as far as the generator knows. */
  enum Auth {
    VALID,
    INVALID,
    /** Ambiguous on purpose (two Authorization headers, say): any outcome but a 5xx is fine. */
    UNKNOWN
  }

  /** How a request is sent. */
  enum Transport {
    /** JDK client, HTTP/1.1, body with Content-Length. */
    HTTP1,
    /** JDK client, HTTP/1.1, body chunked (length unknown up front). */
    HTTP1_CHUNKED,
    /**
     * HTTP/1.1 with {@code Expect: 100-continue}: the body follows only a 100 (Continue). Sent over
     * a socket, since the JDK 17 client waits forever when the server answers with a final status
     * instead, as it may.
     */
    HTTP1_EXPECT_CONTINUE,
    /**
     * JDK client preferring HTTP/2 (asking for an h2c upgrade on a fresh connection); the server
     * speaks HTTP/1.1 only, so the client goes on with that.
     */
    HTTP2,
    /** Byte for byte over a socket: what the JDK client refuses to send. */
    RAW
  }

  /** Whether the target is under the authenticated API. */
  boolean underV1() {
    String path = path();
    return path.equals("/v1") || path.startsWith("/v1/");
  }

  /** The path part of the target. */
  String path() {
    int query = target.indexOf('?');
    return query < 0 ? target : target.substring(0, query);
  }

  /** A readable rendering of the request, cut where long, to reproduce it by hand. */
  String describe(String resolvedTarget) {
    StringBuilder out = new StringBuilder();
    out.append(method)
        .append(' ')
        .append(preview(resolvedTarget))
        .append(version.equals("HTTP/1.1") ? "" : " " + preview(version))
        .append("   [kind=")
        .append(kind)
        .append(", transport=")
        .append(transport)
        .append(", auth=")
        .append(auth)
        .append(", target ")
        .append(resolvedTarget.length())
        .append(" chars]\n");
    for (Header header : headers) {
      out.append("  ").append(preview(header.line())).append('\n');
    }
    if (body != null) {
      out.append("  body (")
          .append(body.length)
          .append(" bytes): ")
          .append(preview(new String(body, StandardCharsets.ISO_8859_1)))
          .append('\n');
    }
    return out.toString();
  }

  /** The complete request as bytes on the wire, to replay with {@code nc}. */
  byte[] wire(String resolvedTarget) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head(resolvedTarget));
    if (body != null) {
      out.writeBytes(body);
    }
    return out.toByteArray();
  }

  /** The request line and headers as bytes on the wire, up to the empty line. */
  byte[] head(String resolvedTarget) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        (method + " " + resolvedTarget + (version.isEmpty() ? "" : " " + version) + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    for (Header header : headers) {
      out.writeBytes((header.line() + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    return out.toByteArray();
  }

  /** This request with {@code more} headers after its own. */
  FuzzRequest withHeaders(List<Header> more) {
    List<Header> all = new java.util.ArrayList<>(headers);
    all.addAll(more);
    return new FuzzRequest(kind, method, target, version, all, body, auth, transport, pick);
  }

  private static String preview(String text) {
    StringBuilder out = new StringBuilder();
    int shown = Math.min(text.length(), PREVIEW);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        out.append("\\x%02x".formatted((int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > PREVIEW) {
      out.append("... (").append(text.length()).append(" in all)");
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return describe(target);
  }
}
