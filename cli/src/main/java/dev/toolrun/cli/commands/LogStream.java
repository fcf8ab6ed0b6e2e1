package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ServerUnreachableException;
import dev.toolrun.cli.http.ToolrunClient;
import dev.toolrun.cli.json.Documents;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Follows a log over the server's event stream ({@code GET /v1/instances/{id}/logs} with {@code
 * Accept: text/event-stream}) until its {@code end} event. A connection that drops is opened again
 * with {@code Last-Event-ID}, the number of the last line printed, so the server resumes after it:
 * no line is lost or printed twice. After {@link #MAX_RECONNECTS} drops in a row without a line in
 * between, it gives up and says why.
 */
final class LogStream {
  static final int MAX_RECONNECTS = 10;

  private final ToolrunClient client;
  private final Duration reconnectDelay;

  LogStream(ToolrunClient client, Duration reconnectDelay) {
    this.client = client;
    this.reconnectDelay = reconnectDelay;
  }

  /**
   * Prints the log from line {@code from} as it grows, until it ends; a gap (lines the server
   * dropped to keep the log bounded) and an incomplete log are said on {@code err}.
   *
   * @return the {@code end} event's data: {@code state}, {@code complete}, {@code nextFrom}
   */
  JsonNode follow(String id, long from, boolean json, PrintWriter out, PrintWriter err) {
    String path =
        ToolrunClient.withQuery(
            "/v1/instances/" + ToolrunClient.segment(id) + "/logs",
            Map.of("from", Long.toString(from)));
    Optional<String> lastId = Optional.empty();
    JsonNode[] end = new JsonNode[1];
    int drops = 0;
    while (true) {
      boolean[] progressed = new boolean[1];
      Optional<String>[] last = new Optional[] {lastId};
      try {
        client.events(
            path,
            lastId,
            event -> {
              switch (event.name()) {
                case "message" -> {
                  print(event, json, out);
                  out.flush();
                  last[0] = event.id();
                  progressed[0] = true;
                }
                case "dropped" -> {
                  JsonNode dropped = Documents.JSON.readTree(event.data());
                  err.println(
                      "[toolrun: "
                          + dropped.path("lines").asLong()
                          + " earlier lines were dropped]");
                  err.flush();
                }
                case "end" -> {
                  end[0] = Documents.JSON.readTree(event.data());
                  return false;
                }
                default -> {
                  // An event this CLI does not know (an error, say) ends nothing: reconnect.
                }
              }
              return true;
            });
      } catch (ServerUnreachableException e) {
        lastId = last[0];
        drops = progressed[0] ? 1 : drops + 1;
        if (drops > MAX_RECONNECTS) {
          throw e;
        }
        pause();
        continue;
      }
      lastId = last[0];
      out.flush();
      if (end[0] != null) {
        if (!end[0].path("complete").asBoolean(true)) {
          err.println("[toolrun: the run ended but its log is not complete; lines may be missing]");
          err.flush();
        }
        return end[0];
      }
      // The server closed the stream without its end (a restart, say): resume where it stopped.
      drops = progressed[0] ? 1 : drops + 1;
      if (drops > MAX_RECONNECTS) {
        throw new ServerUnreachableException(
            client.baseUrl(), "the log stream kept closing before its end", null);
      }
      pause();
    }
  }

  private static void print(ToolrunClient.Event event, boolean json, PrintWriter out) {
    if (json) {
      ObjectNode line = JsonNodeFactory.instance.objectNode();
      line.put("n", Long.parseLong(event.id().orElse("-1")));
      line.put("text", event.data());
      out.println(Documents.compact(line));
    } else {
      out.println(event.data());
    }
  }

  private void pause() {
    try {
      Thread.sleep(reconnectDelay.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException("interrupted");
    }
  }
}
