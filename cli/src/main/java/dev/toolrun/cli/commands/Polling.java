package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ToolrunClient;
import dev.toolrun.cli.json.Documents;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Reading by asking: an instance's state once per interval until the run settled ({@code --wait}),
 * and a log page after page ({@code GET /v1/instances/{id}/logs?from=N}) as far as it goes now.
 * Following a log as it grows is {@link LogStream}'s, over the server's event stream.
 */
final class Polling {
  private static final int LOG_PAGE = 1000;

  private final ToolrunClient client;
  private final Duration interval;

  Polling(ToolrunClient client, Duration interval) {
    this.client = client;
    this.interval = interval;
  }

  /** Reads the instance until {@code done} says so; returns it then. */
  JsonNode instanceUntil(String id, Predicate<JsonNode> done) {
    while (true) {
      JsonNode instance = instance(id);
      if (done.test(instance)) {
        return instance;
      }
      pause();
    }
  }

  JsonNode instance(String id) {
    return client.get("/v1/instances/" + ToolrunClient.segment(id)).body();
  }

  /**
   * Prints the log from line {@code from}: every line there is now (following it as it grows is
   * {@link LogStream}'s). A gap (lines the server dropped to keep the log bounded) is said on
   * {@code err}. With {@code json}, each line is one JSON object {@code {"n": …, "text": …}}.
   */
  void log(String id, long from, boolean json, PrintWriter out, PrintWriter err) {
    long next = from;
    while (true) {
      JsonNode page =
          client
              .get(
                  ToolrunClient.withQuery(
                      "/v1/instances/" + ToolrunClient.segment(id) + "/logs",
                      Map.of("from", Long.toString(next), "limit", Integer.toString(LOG_PAGE))))
              .body();
      JsonNode lines = page.path("lines");
      if (!lines.isEmpty()) {
        long first = lines.get(0).path("n").asLong();
        if (first > next) {
          err.println("[toolrun: " + (first - next) + " earlier lines were dropped]");
          err.flush();
        }
        for (JsonNode line : lines) {
          out.println(json ? Documents.compact(line) : line.path("text").asString(""));
        }
        out.flush();
      }
      next = Math.max(next, page.path("nextFrom").asLong(next));
      // A short page holds every line there was when it was read.
      if (lines.size() < LOG_PAGE) {
        return;
      }
    }
  }

  private void pause() {
    try {
      Thread.sleep(interval.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UsageException("interrupted");
    }
  }
}
