package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.app.config.ConfigLoader;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A stopping toolrun lets the requests in flight go on for the drain timeout
 * (shutdown.drain-seconds) and then closes what is left, and does not wait when nothing is in
 * flight.
 */
class GracefulShutdownTest {
  private static final String TOKEN = "shutdown-token";

  private static ToolrunServer server(int drainSeconds) {
    return Main.createServer(
        new ConfigLoader()
            .load(
                List.of(),
                Map.of(
                    "TOOLRUN_HTTP_PORT",
                    "0",
                    "TOOLRUN_HTTP_HOST",
                    "127.0.0.1",
                    "TOOLRUN_AUTH_TOKEN",
                    TOKEN,
                    "TOOLRUN_SHUTDOWN_DRAIN_SECONDS",
                    Integer.toString(drainSeconds))));
  }

  @Test
  void aRequestInFlightIsLetGoOnForTheDrainTimeoutThenClosed() throws Exception {
    ToolrunServer server = server(2);
    int port = server.start();
    // A watch of the instances: an event stream, which never ends by itself.
    HttpResponse<InputStream> watch =
        HttpClient.newHttpClient()
            .sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/instances"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Accept", "text/event-stream")
                    .build(),
                HttpResponse.BodyHandlers.ofInputStream())
            .get(10, TimeUnit.SECONDS);
    assertThat(watch.statusCode()).isEqualTo(200);

    long started = System.nanoTime();
    server.stop();
    Duration stopping = Duration.ofNanos(System.nanoTime() - started);

    assertThat(stopping)
        .as("the stream was let go on")
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2));
    // Then it was closed: reading it comes to an end (the end of the stream, or the connection
    // closed under the reader) instead of waiting for events.
    assertThat(CompletableFuture.runAsync(() -> readToItsEnd(watch.body())))
        .succeedsWithin(Duration.ofSeconds(10));
  }

  private static void readToItsEnd(InputStream body) {
    try (body) {
      body.readAllBytes();
    } catch (IOException closed) {
      // closed under the reader: an end too
    }
  }

  @Test
  void withNothingInFlightItDoesNotWaitForTheDrainTimeout() {
    ToolrunServer server = server(60);
    server.start();

    long started = System.nanoTime();
    server.stop();

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
  }
}
