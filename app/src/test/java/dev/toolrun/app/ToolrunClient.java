package dev.toolrun.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tiny client of toolrun's REST API for end-to-end tests: real HTTP, JSON answers. */
final class ToolrunClient {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final String base;
  private final String token;

  ToolrunClient(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  /** An answer: its status and its JSON body (a missing node when the body is not JSON). */
  record Answer(int status, JsonNode json, String body, java.net.http.HttpHeaders headers) {
    java.util.Optional<String> header(String name) {
      return headers.firstValue(name);
    }
  }

  Answer get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Answer put(String path, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .PUT(HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json"));
  }

  Answer post(String path, String json) {
    return send(
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json"));
  }

  Answer postWith(String path, String json, java.util.Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .header("Content-Type", "application/json");
    headers.forEach(request::header);
    return send(request);
  }

  Answer delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
  }

  private Answer send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          http.send(
              request
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = JSON.readTree(response.body());
      } catch (RuntimeException notJson) {
        json = JSON.missingNode();
      }
      return new Answer(response.statusCode(), json, response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String json(Object value) {
    return JSON.writeValueAsString(value);
  }
}
