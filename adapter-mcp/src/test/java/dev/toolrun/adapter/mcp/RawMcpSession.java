package dev.toolrun.adapter.mcp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * One MCP session spoken as plain JSON-RPC over HTTP, for what the SDK's Java client cannot send:
 * task-augmented calls and the {@code tasks/*} requests (SDK 2.1.0 has no tasks). It follows the
 * Streamable HTTP transport as a client must: initialize, then {@code notifications/initialized},
 * then requests with the session id and protocol revision, answered as JSON or as an event stream.
 */
public final class RawMcpSession implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private final HttpClient http = HttpClient.newHttpClient();
  private final String endpoint;
  private final String token;
  private final String protocolVersion;
  private final AtomicLong ids = new AtomicLong();
  private final String sessionId;
  private final Map<String, Object> initialized;
  private volatile String lastContentType = "";

  /** Opens a session at {@code base}'s endpoint asking for {@code protocolVersion}. */
  public RawMcpSession(String base, String token, String protocolVersion) {
    this.endpoint = base + McpEndpoint.PATH;
    this.token = token;
    this.protocolVersion = protocolVersion;
    HttpResponse<String> response =
        post(
            message(
                "initialize",
                Map.of(
                    "protocolVersion",
                    protocolVersion,
                    "capabilities",
                    Map.of(),
                    "clientInfo",
                    Map.of("name", "raw-json-rpc", "version", "1"))),
            null);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "initialize: " + response.statusCode() + " " + response.body());
    }
    this.sessionId = response.headers().firstValue("Mcp-Session-Id").orElseThrow();
    this.initialized = answerTo(response, 1L);
    HttpResponse<String> ack =
        post(Map.of("jsonrpc", "2.0", "method", "notifications/initialized"), sessionId);
    if (ack.statusCode() != 202) {
      throw new IllegalStateException("notifications/initialized: " + ack.statusCode());
    }
  }

  /** The answer to initialize: its {@code result}. */
  @SuppressWarnings("unchecked")
  Map<String, Object> initializeResult() {
    return (Map<String, Object>) initialized.get("result");
  }

  /** Sends {@code method} and returns the whole JSON-RPC response (result or error). */
  Map<String, Object> request(String method, Map<String, Object> params) {
    Map<String, Object> message = message(method, params);
    HttpResponse<String> response = post(message, sessionId);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          method + ": " + response.statusCode() + " " + response.body());
    }
    lastContentType = response.headers().firstValue("Content-Type").orElse("");
    return answerTo(response, message.get("id"));
  }

  /** The {@code result} of {@code method}; fails when it answers an error. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> result(String method, Map<String, Object> params) {
    Map<String, Object> response = request(method, params);
    if (response.containsKey("error")) {
      throw new IllegalStateException(method + " answered " + response.get("error"));
    }
    return (Map<String, Object>) response.get("result");
  }

  /** The {@code error} of {@code method}; fails when it answers a result. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> error(String method, Map<String, Object> params) {
    Map<String, Object> response = request(method, params);
    if (!response.containsKey("error")) {
      throw new IllegalStateException(method + " answered " + response.get("result"));
    }
    return (Map<String, Object>) response.get("error");
  }

  /** The content type the last answer came as: JSON, or an event stream. */
  String lastContentType() {
    return lastContentType;
  }

  private Map<String, Object> message(String method, Map<String, Object> params) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("jsonrpc", "2.0");
    message.put("id", ids.incrementAndGet());
    message.put("method", method);
    message.put("params", params);
    return message;
  }

  private HttpResponse<String> post(Map<String, Object> message, String session) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(endpoint))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(message)));
    if (session != null) {
      request.header("Mcp-Session-Id", session).header("MCP-Protocol-Version", protocolVersion);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // An event stream carries the answer among other messages (progress, keep-alive comments).
  private static Map<String, Object> answerTo(HttpResponse<String> response, Object id) {
    String type = response.headers().firstValue("Content-Type").orElse("");
    if (type.startsWith("application/json")) {
      return JSON.readValue(response.body(), MAP);
    }
    for (String line : response.body().split("\n")) {
      if (line.startsWith("data:")) {
        Map<String, Object> message = JSON.readValue(line.substring("data:".length()), MAP);
        if (message.containsKey("id")
            && String.valueOf(message.get("id")).equals(String.valueOf(id))) {
          return message;
        }
      }
    }
    throw new IllegalStateException("no answer to request " + id + " in: " + response.body());
  }

  /** Ends the session (DELETE), as a client that goes away cleanly does. */
  @Override
  public void close() {
    try {
      http.send(
          HttpRequest.newBuilder(URI.create(endpoint))
              .header("Authorization", "Bearer " + token)
              .header("Mcp-Session-Id", sessionId)
              .DELETE()
              .build(),
          HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
