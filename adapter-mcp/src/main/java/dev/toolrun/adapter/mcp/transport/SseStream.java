package dev.toolrun.adapter.mcp.transport;

import static java.util.Objects.requireNonNull;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpStreamableServerTransport;
import io.modelcontextprotocol.spec.McpTransportException;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import reactor.core.publisher.Mono;

/**
 * One server-sent event stream of a Streamable HTTP session: the answer stream of one POSTed
 * request, or the session's listening GET stream.
 *
 * <p>Every write runs on the request's Vert.x context, in the order the session sent them; the
 * SDK's threads never touch the response. A message for a stream whose client went away is dropped
 * (as the servlet transport does), so a run outlives a disconnect.
 */
final class SseStream implements McpStreamableServerTransport {
  private final HttpServerResponse response;
  private final Context context;
  private final McpJsonMapper json;
  private final String sessionId;
  private final UnaryOperator<McpSchema.JSONRPCMessage> amend;
  private final AtomicBoolean closed = new AtomicBoolean();
  private long keepAliveTimer = -1;

  SseStream(HttpServerResponse response, Context context, McpJsonMapper json, String sessionId) {
    this(response, context, json, sessionId, UnaryOperator.identity());
  }

  /**
   * @param amend applied to every message before it is written: the answer to a request may carry
   *     fields the SDK's records lack
   */
  SseStream(
      HttpServerResponse response,
      Context context,
      McpJsonMapper json,
      String sessionId,
      UnaryOperator<McpSchema.JSONRPCMessage> amend) {
    this.response = requireNonNull(response, "response is null");
    this.context = requireNonNull(context, "context is null");
    this.json = requireNonNull(json, "json is null");
    this.sessionId = requireNonNull(sessionId, "sessionId is null");
    this.amend = requireNonNull(amend, "amend is null");
  }

  /**
   * Sends the response's head now and then an SSE comment every {@code interval}, so that a long
   * run with nothing to report keeps its stream alive through proxies and clients' idle timeouts
   * (Node's fetch gives up after 300 s without a byte). Clients ignore comments. Call on the
   * stream's context.
   */
  SseStream open(Duration interval) {
    response.writeHead();
    keepAliveTimer =
        context
            .owner()
            .setPeriodic(
                interval.toMillis(),
                timer -> {
                  if (closed.get() || response.closed() || response.ended()) {
                    context.owner().cancelTimer(timer);
                  } else {
                    response.write(": keep-alive\n\n");
                  }
                });
    return this;
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return sendMessage(message, null);
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message, String messageId) {
    return Mono.create(
        sink -> {
          String event;
          try {
            event = event(json.writeValueAsString(amend.apply(message)), messageId);
          } catch (IOException | RuntimeException e) {
            sink.error(new McpTransportException("cannot serialise a message", e));
            return;
          }
          context.runOnContext(
              ignored -> {
                if (closed.get() || response.closed() || response.ended()) {
                  sink.success();
                  return;
                }
                response
                    .write(event)
                    .onComplete(
                        written -> {
                          if (written.succeeded()) {
                            sink.success();
                          } else {
                            end();
                            sink.error(
                                new McpTransportException(
                                    "cannot write to session " + sessionId, written.cause()));
                          }
                        });
              });
        });
  }

  private String event(String data, String messageId) {
    return "id: "
        + (messageId != null ? messageId : sessionId)
        + "\nevent: message\ndata: "
        + data
        + "\n\n";
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return json.convertValue(data, typeRef);
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.create(
        sink ->
            context.runOnContext(
                ignored -> {
                  end();
                  sink.success();
                }));
  }

  @Override
  public void close() {
    context.runOnContext(ignored -> end());
  }

  private void end() {
    if (closed.compareAndSet(false, true)) {
      if (keepAliveTimer >= 0) {
        context.owner().cancelTimer(keepAliveTimer);
      }
      if (!response.closed() && !response.ended()) {
        response.end();
      }
    }
  }
}
