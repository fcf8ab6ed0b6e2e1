package dev.toolrun.cli.http;

import static java.util.Objects.requireNonNull;

import dev.toolrun.cli.json.Documents;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.MissingNode;

/**
 * The REST API of one toolrun server, over the JDK's HTTP client: JSON in, JSON out. Every error
 * answer becomes an {@link ApiException}, every failure to get an answer a {@link
 * ServerUnreachableException} naming the URL.
 */
public final class ToolrunClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final URI baseUrl;
  private final Optional<String> token;
  private final HttpClient http;

  /** A client of the server at {@code baseUrl} (no trailing '/'), sending {@code token} if any. */
  public ToolrunClient(URI baseUrl, Optional<String> token) {
    this.baseUrl = requireNonNull(baseUrl, "baseUrl is null");
    this.token = requireNonNull(token, "token is null");
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  public URI baseUrl() {
    return baseUrl;
  }

  /** {@code value} encoded as one path segment. */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** {@code path} with the query {@code parameters} (in their order; empty values left out). */
  public static String withQuery(String path, Map<String, String> parameters) {
    List<String> pairs = new ArrayList<>();
    parameters.forEach(
        (name, value) -> {
          if (value != null && !value.isEmpty()) {
            pairs.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
          }
        });
    return pairs.isEmpty() ? path : path + "?" + String.join("&", pairs);
  }

  public ApiResponse get(String path) {
    return send(request(path).GET());
  }

  public ApiResponse delete(String path) {
    return send(request(path).DELETE());
  }

  public ApiResponse put(String path, JsonNode body) {
    return send(withJson(request(path), body, "PUT"));
  }

  public ApiResponse post(String path, JsonNode body) {
    return send(withJson(request(path), body, "POST"));
  }

  /** A POST without a body, as cancel and stop take. */
  public ApiResponse post(String path) {
    return send(request(path).POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** {@link #post(String, JsonNode)} with extra request headers (e.g. Idempotency-Key). */
  public ApiResponse post(String path, JsonNode body, Map<String, String> headers) {
    HttpRequest.Builder builder = request(path);
    headers.forEach(builder::header);
    return send(withJson(builder, body, "POST"));
  }

  /** One Server-Sent Event: its id (if it had one), its type and its data. */
  public record Event(Optional<String> id, String name, String data) {}

  /**
   * Reads the event stream at {@code path} ({@code Accept: text/event-stream}), handing each event
   * to {@code sink} as it comes, until the server ends the stream or {@code sink} answers false.
   * With {@code lastEventId}, the server resumes after that event.
   *
   * @return whether {@code sink} stopped the stream (false: the server ended it)
   * @throws ApiException when the server answers with an error instead of a stream
   * @throws ServerUnreachableException when there is no connection, or it is cut mid-stream
   */
  public boolean events(
      String path, Optional<String> lastEventId, java.util.function.Predicate<Event> sink) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            // Until the headers: a stream then lasts as long as the run, with heartbeats.
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "text/event-stream");
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    lastEventId.ifPresent(id -> builder.header("Last-Event-ID", id));
    HttpResponse<java.io.InputStream> response;
    try {
      response = http.send(builder.build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerUnreachableException(baseUrl, "interrupted", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new ServerUnreachableException(baseUrl, reason(e), e);
    }
    try (java.io.BufferedReader reader =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      if (response.statusCode() >= 400) {
        throw error(response.statusCode(), reader.lines().collect(Collectors.joining("\n")));
      }
      return read(reader, sink);
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new ServerUnreachableException(baseUrl, "the event stream was cut: " + reason(e), e);
    }
  }

  // The WHATWG rules, for the fields this API sends: id, event, data; comments are skipped.
  private static boolean read(
      java.io.BufferedReader reader, java.util.function.Predicate<Event> sink) throws IOException {
    String id = null;
    String name = "message";
    StringBuilder data = null;
    for (String line = reader.readLine(); line != null; line = reader.readLine()) {
      if (line.isEmpty()) {
        if (data != null && !sink.test(new Event(Optional.ofNullable(id), name, data.toString()))) {
          return true;
        }
        id = null;
        name = "message";
        data = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "id" -> id = value;
        case "event" -> name = value;
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        default -> {
          // retry and unknown fields carry no event data.
        }
      }
    }
    return false;
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(REQUEST_TIMEOUT)
            .header("Accept", "application/json");
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    return builder;
  }

  private static HttpRequest.Builder withJson(
      HttpRequest.Builder builder, JsonNode body, String method) {
    return builder
        .header("Content-Type", "application/json")
        .method(method, HttpRequest.BodyPublishers.ofString(Documents.compact(body)));
  }

  private ApiResponse send(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ServerUnreachableException(baseUrl, "interrupted", e);
    } catch (IOException | IllegalArgumentException e) {
      throw new ServerUnreachableException(baseUrl, reason(e), e);
    }
    String body = response.body();
    if (response.statusCode() >= 400) {
      throw error(response.statusCode(), body);
    }
    if (body == null || body.isBlank()) {
      return new ApiResponse(response.statusCode(), MissingNode.getInstance());
    }
    try {
      return new ApiResponse(response.statusCode(), Documents.JSON.readTree(body));
    } catch (JacksonException e) {
      throw new ApiException(
          response.statusCode(),
          "MALFORMED_RESPONSE",
          "the server at "
              + baseUrl
              + " answered "
              + request.uri().getPath()
              + " with something that is not JSON: "
              + firstLine(body),
          List.of());
    }
  }

  private static String reason(Throwable e) {
    if (e instanceof HttpConnectTimeoutException) {
      return "no connection within " + CONNECT_TIMEOUT.toSeconds() + " s";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + REQUEST_TIMEOUT.toSeconds() + " s";
    }
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof UnresolvedAddressException) {
      return "the host name does not resolve";
    }
    if (e instanceof ConnectException || cause instanceof ConnectException) {
      return "connection refused";
    }
    String message = cause.getMessage();
    return message == null || message.isBlank() ? cause.getClass().getSimpleName() : message;
  }

  private static ApiException error(int status, String body) {
    try {
      JsonNode error = Documents.JSON.readTree(body);
      if (error != null && error.path("code").isString() && error.path("message").isString()) {
        List<ApiException.Detail> details = new ArrayList<>();
        for (JsonNode detail : error.path("details")) {
          details.add(
              new ApiException.Detail(
                  detail.path("field").asString(""), detail.path("message").asString("")));
        }
        return new ApiException(
            status, error.get("code").asString(), error.get("message").asString(), details);
      }
    } catch (JacksonException e) {
      // Not the API's error shape: a proxy or another server answered. Said below.
    }
    return new ApiException(
        status,
        "HTTP_" + status,
        body == null || body.isBlank() ? "(no body)" : firstLine(body),
        List.of());
  }

  private static String firstLine(String text) {
    String line = text.strip().lines().findFirst().orElse("");
    return line.length() > 200 ? line.substring(0, 200) + "…" : line;
  }
}
