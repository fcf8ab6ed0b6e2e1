package dev.toolrun.bench.local;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.json.JsonMapper;

/** The few calls of toolrun's REST API that the drivers make, with its bearer token. */
final class ToolrunApi {
  /** The states of an instance that has not ended; a task that is launched passes them all. */
  private static final String ACTIVE_STATES = "PENDING,CREATING,STARTING,RUNNING";

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final JsonMapper json = JsonMapper.builder().build();
  private final URI base;
  private final String authorization;

  ToolrunApi(URI base, String token) {
    this.base = requireNonNull(base, "base is null");
    this.authorization = "Bearer " + requireNonNull(token, "token is null");
  }

  /** Registers the tool {@code name} with the JSON {@code definition}; fails unless accepted. */
  void registerTool(String name, String definition) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request("/v1/tools/" + name)
                .PUT(HttpRequest.BodyPublishers.ofString(definition))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200 && response.statusCode() != 201) {
      throw new IllegalStateException(
          "registering tool "
              + name
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
  }

  /** Launches an instance as the JSON {@code launchRequest} asks; completes with the status. */
  CompletableFuture<Integer> launch(String launchRequest) {
    return http.sendAsync(
            request("/v1/instances")
                .POST(HttpRequest.BodyPublishers.ofString(launchRequest))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .thenApply(HttpResponse::statusCode);
  }

  /** Whether any instance has not ended yet. */
  boolean anyActive() throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request("/v1/instances?limit=1&state=" + ACTIVE_STATES).GET().build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "listing active instances answered " + response.statusCode() + ": " + response.body());
    }
    return !json.readTree(response.body()).path("items").isEmpty();
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(base.resolve(pathAndQuery))
        .timeout(TIMEOUT)
        .header("Authorization", authorization)
        .header("Content-Type", "application/json");
  }
}
