package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.app.config.ConfigLoader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connection deadlines as the configuration sets them, on the whole service: they cut a client
 * that owes bytes, and never the MCP endpoint's event stream, which is a response that does not end
 * and may be silent for longer than any deadline.
 */
class ConnectionDeadlinesEndToEndTest {
  private static final String TOKEN = "deadline-token-0123";
  private static final Duration DEADLINE = Duration.ofSeconds(1);
  private static ToolrunServer server;
  private static int port;

  @BeforeAll
  static void start() {
    server =
        Main.createServer(
            new ConfigLoader()
                .load(
                    List.of(),
                    Map.of(
                        "TOOLRUN_HTTP_PORT", "0",
                        "TOOLRUN_HTTP_HOST", "127.0.0.1",
                        "TOOLRUN_AUTH_TOKEN", TOKEN,
                        "TOOLRUN_HTTP_HEADER_TIMEOUT_SECONDS", "1",
                        "TOOLRUN_HTTP_BODY_TIMEOUT_SECONDS", "1",
                        "TOOLRUN_HTTP_IDLE_TIMEOUT_SECONDS", "1")));
    port = server.start();
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  @Test
  void theConfiguredHeaderDeadlineCutsAClientThatStopsMidHeaders() throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(bytes("GET /v1/tools HTTP/1.1\r\nHost: x\r\n"));

      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

      assertThat(answer).startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("1000 ms");
    }
  }

  @Test
  void aConnectionTheHeaderDeadlineClosedIsCountedOnMetrics() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(bytes("GET /health/live HTTP/1.1\r\nHost"));
      assertThat(socket.getInputStream().readAllBytes()).isNotEmpty();
    }

    // Counted as the connection closes; the scrape may come a moment before.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(scrape())
                    .containsPattern(
                        "(?m)^toolrun_http_connections_closed_total\\{reason=\"headers_timeout\"\\}"
                            + " [1-9][0-9]*\\.0$"));
  }

  private static String scrape() throws IOException, InterruptedException {
    HttpResponse<String> metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    return metrics.body();
  }

  @Test
  void theMcpEventStreamOutlivesEveryDeadline() throws Exception {
    HttpResponse<String> initialized =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/mcp"))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(
                        BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                                + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                                + "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}"))
                    .build(),
                BodyHandlers.ofString());
    String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();

    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              bytes(
                  "GET /mcp HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + TOKEN
                      + "\r\nAccept: text/event-stream\r\nMcp-Session-Id: "
                      + session
                      + "\r\n\r\n"));
      InputStream in = socket.getInputStream();
      String head = head(in);

      assertThat(head).startsWith("HTTP/1.1 200 ").containsIgnoringCase("text/event-stream");
      // Four deadlines' time: the stream must still be open, whatever it sent meanwhile.
      assertThat(openFor(socket, in, DEADLINE.multipliedBy(4))).isTrue();
    }
  }

  // Whether the connection stays open for {@code time}, reading whatever comes meanwhile.
  private static boolean openFor(Socket socket, InputStream in, Duration time) throws IOException {
    long end = System.nanoTime() + time.toNanos();
    while (System.nanoTime() < end) {
      socket.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
      try {
        if (in.read() == -1) {
          return false;
        }
      } catch (SocketTimeoutException stillOpen) {
        return true;
      }
    }
    return true;
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b == -1) {
        break;
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }
}
