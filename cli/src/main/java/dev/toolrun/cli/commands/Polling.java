package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ToolrunClient;
import dev.toolrun.cli.json.Documents;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * Waiting by asking again: the server has no event or log stream yet, so following a run reads its
 * state, or the next page of its log ({@code GET /v1/instances/{id}/logs?from=N}), once per
 * interval until there is no more to wait for: the run settled, or the log is complete (or the run
 * ended and its log stayed incomplete for longer than the server takes to drain it).
 */
final class Polling {
  private static final int LOG_PAGE = 1000;
  // The server waits up to 10 s for a workload's output to drain after it ended.
  private static final Duration DRAIN_GRACE = Duration.ofSeconds(15);

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
   * Prints the log from line {@code from}: every line there is now, or with {@code follow} also the
   * lines still to come, until the server says the log is complete. A gap (lines the server dropped
   * to keep the log bounded) is said on {@code err}. With {@code json}, each line is one JSON
   * object {@code {"n": …, "text": …}}.
   */
  void log(String id, long from, boolean follow, boolean json, PrintWriter out, PrintWriter err) {
    long next = from;
    Instant endedAt = null;
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
      if (lines.size() >= LOG_PAGE) {
        continue; // a full page: there may be more at once
      }
      // A short page holds every line there was when it was read, and says whether more will come.
      if (!follow || page.path("complete").asBoolean(false)) {
        return;
      }
      // A log the server never marks complete must not be followed forever: once the run ended,
      // it gets the server's time to drain its output, and then the follower stops and says so.
      if (endedAt == null) {
        if (RunOutcome.isTerminal(instance(id).path("state").asString(""))) {
          endedAt = Instant.now();
        }
      } else if (Duration.between(endedAt, Instant.now()).compareTo(DRAIN_GRACE) > 0) {
        err.println("[toolrun: the run ended but its log is not complete; lines may be missing]");
        err.flush();
        return;
      }
      pause();
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
