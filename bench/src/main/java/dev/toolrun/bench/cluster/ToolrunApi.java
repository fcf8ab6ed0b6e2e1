package dev.toolrun.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import tools.jackson.databind.json.JsonMapper;

/** The two calls of toolrun's REST API the benchmark makes: register a tool, launch it. */
final class ToolrunApi {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  // Generous: a launch waits for toolrun's worker threads and rate limiter when N arrive at once.
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

  // HTTP/1.1, as curl and most clients speak to toolrun; no h2c upgrade on the first request.
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final String base;

  ToolrunApi(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  /** Registers {@code definition} (a JSON body) as tool {@code name}, or finds it unchanged. */
  void register(String name, String definition) {
    HttpRequest request =
        request("/v1/tools/" + name).PUT(HttpRequest.BodyPublishers.ofString(definition)).build();
    try {
      HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() != 200 && answer.statusCode() != 201) {
        throw new IllegalStateException(
            "registering tool " + name + " answered " + answer.statusCode() + ": " + answer.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while registering tool " + name, e);
    }
  }

  /** Launches {@code tool} without parameters; completes with the new instance's id. */
  CompletableFuture<String> launch(String tool) {
    HttpRequest request =
        request("/v1/instances")
            .POST(HttpRequest.BodyPublishers.ofString("{\"tool\": \"" + tool + "\"}"))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(
            answer -> {
              if (answer.statusCode() != 201) {
                throw new IllegalStateException(
                    "launching "
                        + tool
                        + " answered "
                        + answer.statusCode()
                        + ": "
                        + answer.body());
              }
              return JSON.readTree(answer.body()).get("id").asString();
            });
  }

  /** Launches {@code tool} {@code count} times at once; completes with the ids, in launch order. */
  CompletableFuture<List<String>> launchAll(String tool, int count) {
    List<CompletableFuture<String>> launches =
        IntStream.range(0, count).mapToObj(i -> launch(tool)).toList();
    return CompletableFuture.allOf(launches.toArray(CompletableFuture[]::new))
        .thenApply(done -> launches.stream().map(CompletableFuture::join).toList());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + ToolrunProcess.TOKEN)
        .header("Content-Type", "application/json");
  }
}
