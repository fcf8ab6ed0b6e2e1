package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Sends a stream of Server-Sent Events ({@code text/event-stream}) from a {@link Source} the stream
 * pulls: it asks for the next events only once the previous ones were handed to the socket and the
 * connection's write queue is below {@link #WRITE_QUEUE_BYTES}. A client that reads slowly
 * therefore pauses its source (which holds a place in a log, or the ids of changed instances, and
 * no events), and the server holds at most that queue and one batch for it. A comment line is sent
 * when nothing else was for one heartbeat interval, so that proxies in between see a live
 * connection. The stream ends when the source says its last batch, or the client goes away.
 *
 * <p>Everything here runs on the request's event loop; the source completes its stages anywhere.
 */
final class EventStream {
  private static final Logger LOG = System.getLogger(EventStream.class.getName());

  /** The media type of an event stream. */
  static final String MEDIA_TYPE = "text/event-stream";

  /** Bytes a stream may have waiting in its connection before it stops pulling events. */
  static final int WRITE_QUEUE_BYTES = 256 * 1024;

  /** What a client's EventSource waits before it reconnects, sent at the start of every stream. */
  static final Duration RETRY = Duration.ofSeconds(2);

  private static final Pattern LINE_BREAK = Pattern.compile("\r\n|\r|\n");

  /** Where the events come from; pulled one batch at a time. */
  interface Source {
    /** The next events; completes once there is at least one, or the stream is over. */
    CompletionStage<Batch> next();

    /** The stream is over, or the client left: let go of what the source holds. Idempotent. */
    void close();
  }

  /**
   * One event.
   *
   * @param id the event's id, which a client sends back as {@code Last-Event-ID} when it
   *     reconnects; empty to leave the last one the client saw as it is
   * @param name the event's type; empty for the default, {@code message}
   */
  record Event(Optional<String> id, Optional<String> name, String data) {
    Event {
      requireNonNull(id, "id is null");
      requireNonNull(name, "name is null");
      requireNonNull(data, "data is null");
    }
  }

  /** Events to send at once; after a {@code last} batch the response ends. */
  record Batch(List<Event> events, boolean last) {
    Batch {
      events = List.copyOf(requireNonNull(events, "events is null"));
    }
  }

  private final RoutingContext rc;
  private final HttpServerResponse response;
  private final Source source;
  private final Vertx vertx;
  private final Context context;
  private final long heartbeatTimer;
  private boolean wroteSinceHeartbeat;
  private boolean over;

  private EventStream(RoutingContext rc, Source source, Duration heartbeat) {
    this.rc = rc;
    this.response = rc.response();
    this.source = source;
    this.vertx = rc.vertx();
    this.context = vertx.getOrCreateContext();
    this.heartbeatTimer = vertx.setPeriodic(heartbeat.toMillis(), unused -> heartbeat());
  }

  /**
   * Starts streaming {@code source} as the answer to {@code rc}, with {@code headers} and a
   * heartbeat every {@code heartbeat}; to a HEAD request it sends the headers alone.
   */
  static void serve(
      RoutingContext rc,
      java.util.Map<String, String> headers,
      Source source,
      Duration heartbeat,
      boolean head) {
    HttpServerResponse response = rc.response();
    headers.forEach(response::putHeader);
    response
        .setStatusCode(200)
        .putHeader(HttpHeaders.CONTENT_TYPE, MEDIA_TYPE)
        // nginx buffers a response unless told not to; an event stream must not be buffered.
        .putHeader("X-Accel-Buffering", "no");
    if (head) {
      source.close();
      response.end();
      return;
    }
    if (rc.request().version() == HttpVersion.HTTP_1_0) {
      // No chunks in HTTP/1.0: the stream ends with the connection.
      response.putHeader(HttpHeaders.CONNECTION, "close");
    } else {
      response.setChunked(true);
    }
    response.setWriteQueueMaxSize(WRITE_QUEUE_BYTES);
    EventStream stream = new EventStream(rc, source, heartbeat);
    response.closeHandler(unused -> stream.finish());
    response.exceptionHandler(unused -> stream.finish());
    // The retry field and a first comment send the headers at once: the client knows the stream
    // is open before the first event.
    stream.write("retry: " + RETRY.toMillis() + "\n: toolrun event stream\n\n");
    stream.pull();
  }

  private void pull() {
    if (over) {
      return;
    }
    CompletionStage<Batch> next;
    try {
      next = source.next();
    } catch (RuntimeException e) {
      failed(e);
      return;
    }
    Future.fromCompletionStage(next, context)
        .onComplete(
            done -> {
              if (over) {
                return;
              }
              if (done.failed()) {
                failed(done.cause());
                return;
              }
              Batch batch = done.result();
              StringBuilder text = new StringBuilder();
              batch.events().forEach(event -> encode(event, text));
              if (!text.isEmpty()) {
                write(text.toString());
              }
              if (batch.last()) {
                finish();
                response.end();
              } else if (response.writeQueueFull()) {
                response.drainHandler(unused -> pull());
              } else {
                pull();
              }
            });
  }

  private void heartbeat() {
    if (over) {
      return;
    }
    if (!wroteSinceHeartbeat && !response.writeQueueFull()) {
      write(": keep-alive\n\n");
    }
    wroteSinceHeartbeat = false;
  }

  private void write(String text) {
    wroteSinceHeartbeat = true;
    response.write(Buffer.buffer(text.getBytes(StandardCharsets.UTF_8)));
  }

  // The stream cannot go on; the client is told in an event, as the status was sent long ago.
  private void failed(Throwable cause) {
    LOG.log(Level.WARNING, "an event stream of " + rc.normalizedPath() + " failed", cause);
    StringBuilder text = new StringBuilder();
    encode(
        new Event(
            Optional.empty(),
            Optional.of("error"),
            "{\"code\":\"INTERNAL_ERROR\",\"message\":\"the stream failed; reconnect to resume\"}"),
        text);
    write(text.toString());
    finish();
    response.end();
  }

  private void finish() {
    if (over) {
      return;
    }
    over = true;
    vertx.cancelTimer(heartbeatTimer);
    source.close();
  }

  /** {@code event} in the text of an event stream; a line break in the data starts a data line. */
  static void encode(Event event, StringBuilder text) {
    event.id().ifPresent(id -> text.append("id: ").append(id).append('\n'));
    event.name().ifPresent(name -> text.append("event: ").append(name).append('\n'));
    String data = event.data();
    // Most data is one line: the pattern is only for those that are not.
    if (data.indexOf('\n') < 0 && data.indexOf('\r') < 0) {
      text.append("data: ").append(data).append('\n');
    } else {
      for (String line : LINE_BREAK.split(data, -1)) {
        text.append("data: ").append(line).append('\n');
      }
    }
    text.append('\n');
  }
}
