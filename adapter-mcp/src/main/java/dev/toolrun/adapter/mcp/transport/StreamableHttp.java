package dev.toolrun.adapter.mcp.transport;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.spec.HttpHeaders;
import io.modelcontextprotocol.spec.McpSchema;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The HTTP side of Streamable HTTP: headers, the endpoint check, event streams, error answers. */
final class StreamableHttp {
  static final String TEXT_EVENT_STREAM = "text/event-stream";
  static final String APPLICATION_JSON = "application/json";
  static final String ACCEPT_BOTH =
      "the Accept header must list both application/json and text/event-stream";

  private StreamableHttp() {}

  /** Starts the response as an event stream; the head is sent by {@link SseStream#open}. */
  static HttpServerResponse startEventStream(RoutingContext rc) {
    return rc.response()
        .setStatusCode(200)
        .setChunked(true)
        .putHeader(HttpHeaders.CONTENT_TYPE, TEXT_EVENT_STREAM)
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
  }

  /** Whether the request is for the endpoint itself; anything below it is left to other routes. */
  static boolean atEndpoint(RoutingContext rc) {
    String mount = rc.mountPoint() == null ? "" : rc.mountPoint();
    String path = rc.normalizedPath();
    String rest = path.substring(Math.min(mount.length(), path.length()));
    if (rest.isEmpty() || rest.equals("/")) {
      return true;
    }
    rc.next();
    return false;
  }

  /** The header's value in lower case, or "" when absent. */
  static String header(RoutingContext rc, String name) {
    String value = rc.request().getHeader(name);
    return value == null ? "" : value.toLowerCase(Locale.ROOT).strip();
  }

  /** Answers {@code status} with a JSON-RPC error without an id, as the SDK's transports do. */
  static void error(McpJsonMapper json, RoutingContext rc, int status, int code, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("jsonrpc", McpSchema.JSONRPC_VERSION);
    body.put("id", null);
    body.put("error", error);
    String text;
    try {
      text = json.writeValueAsString(body);
    } catch (IOException e) {
      text = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":" + code + "}}";
    }
    if (!rc.response().ended() && !rc.response().closed()) {
      rc.response()
          .setStatusCode(status)
          .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
          .end(text);
    }
  }

  /** The Vert.x context of the request being handled. */
  static Context context() {
    Context current = Vertx.currentContext();
    if (current == null) {
      throw new IllegalStateException("the MCP transport runs on a Vert.x context");
    }
    return current;
  }
}
