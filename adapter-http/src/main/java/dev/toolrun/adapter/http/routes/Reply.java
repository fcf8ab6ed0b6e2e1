package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.mapping.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What an endpoint answers: a status, headers and a body already encoded, so that only bytes are
 * handed back to the event loop.
 *
 * @param contentType the body's media type; {@code null} when there is no body
 * @param body the encoded body; empty when there is none
 * @param events for an event stream, where its events come from (status, type and body are then the
 *     stream's own); empty otherwise
 */
record Reply(
    int status,
    Map<String, String> headers,
    String contentType,
    byte[] body,
    Optional<EventStream.Source> events) {
  static final String TEXT = "text/plain; charset=utf-8";

  Reply {
    headers = Map.copyOf(requireNonNull(headers, "headers is null"));
    requireNonNull(body, "body is null");
    requireNonNull(events, "events is null");
  }

  private Reply(int status, Map<String, String> headers, String contentType, byte[] body) {
    this(status, headers, contentType, body, Optional.empty());
  }

  /** An event stream of the events of {@code source}, sent as the client takes them. */
  static Reply events(EventStream.Source source) {
    return new Reply(
        200, Map.of(), EventStream.MEDIA_TYPE, new byte[0], Optional.of(requireNonNull(source)));
  }

  /** {@code value} as JSON with status {@code status}. */
  static Reply json(int status, Object value) {
    return new Reply(status, Map.of(), JsonCodec.MEDIA_TYPE, JsonCodec.write(value));
  }

  /** {@code value} as JSON with status 200. */
  static Reply ok(Object value) {
    return json(200, value);
  }

  /**
   * JSON already written, with status 200; the bytes are sent as they are and must not change
   * afterwards (they may be a cached body shared by many replies).
   */
  static Reply okJson(byte[] json) {
    return new Reply(200, Map.of(), JsonCodec.MEDIA_TYPE, json);
  }

  /** Plain UTF-8 text with status 200. */
  static Reply text(String text) {
    return new Reply(200, Map.of(), TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Raw bytes of a media type with status 200. */
  static Reply bytes(String contentType, byte[] body) {
    return new Reply(200, Map.of(), contentType, body.clone());
  }

  /** 204 without a body. */
  static Reply noContent() {
    return new Reply(204, Map.of(), null, new byte[0]);
  }

  /** This reply with one more header. */
  Reply withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new Reply(status, more, contentType, body, events);
  }
}
