package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.http.SseEvents.Event;
import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.tool.ToolName;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Not a test (surefire does not pick it up by its name): what following a log over the event stream
 * costs. Run it by name, as docs/benchmarks.md says:
 *
 * <pre>
 * BENCH_QUICK=1 mvn -o -q -pl adapter-http -am verify -Dtest=LogStreamBench -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>A run of the in-memory runtime writes {@value #LINES} lines of about 100 bytes (a quarter of
 * that with {@code BENCH_QUICK=1}); once it has ended, 1 and then 10 followers read the whole log
 * over {@code GET /v1/instances/{id}/logs} with {@code Accept: text/event-stream}, each on its own
 * connection, at once. Reading a finished log is the server's hardest case: nothing waits for the
 * writer, so the stream goes as fast as the server and the client can. For each round it prints the
 * lines per second each follower received (median over followers) and the server's CPU per
 * follower: the CPU time of the server's threads (Vert.x event loops and workers, the core's
 * executor), not the clients', measured with the JVM's per-thread CPU clock. Client and server
 * share the machine's two cores.
 */
class LogStreamBench {
  private static final int LINES = System.getenv("BENCH_QUICK") != null ? 50_000 : 200_000;
  private static final int ROUNDS = 3;

  @Test
  void followersOfAFinishedLog() throws Exception {
    try (TestApi api = TestApi.start(TestApi.Setup.defaults().withMaxLogLines(LINES))) {
      assertThat(
              api.put(
                      "/v1/tools/bench",
                      "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"busybox:1\"}}}")
                  .status())
          .isEqualTo(201);
      String padding = "x".repeat(88);
      api.runtime.script(
          new ToolName("bench"),
          Scenario.succeed(
              IntStream.range(0, LINES)
                  .mapToObj(i -> String.format(Locale.ROOT, "%010d %s", i, padding))
                  .toList(),
              "{}"));
      String id = api.post("/v1/instances", "{\"tool\":\"bench\"}").json().getString("id");
      await()
          .atMost(Duration.ofMinutes(5))
          .until(
              () ->
                  api.get("/v1/instances/" + id + "/logs?from=" + (LINES - 1))
                      .json()
                      .getBoolean("complete"));
      // Warm-up: the JIT compiles the stream's path.
      follow(api, id, 2);
      for (int followers : new int[] {1, 10}) {
        for (int round = 1; round <= ROUNDS; round++) {
          long cpuBefore = serverCpuNanos();
          long start = System.nanoTime();
          List<Double> rates = follow(api, id, followers);
          double wallS = (System.nanoTime() - start) / 1e9;
          double cpuMs = (serverCpuNanos() - cpuBefore) / 1e6;
          rates.sort(Double::compare);
          System.out.printf(
              Locale.ROOT,
              "RESULT logs.follow followers=%d round=%d lines=%d lines_per_s_per_follower=%.0f"
                  + " lines_per_s_min=%.0f lines_per_s_all=%.0f server_cpu_ms_per_follower=%.1f"
                  + " server_cpu_us_per_line=%.2f wall_s=%.2f%n",
              followers,
              round,
              LINES,
              rates.get(rates.size() / 2),
              rates.get(0),
              (double) LINES * followers / wallS,
              cpuMs / followers,
              cpuMs * 1000 / ((double) LINES * followers),
              wallS);
        }
      }
    }
  }

  /** Each follower's lines per second, once all have read the log to its end. */
  private static List<Double> follow(TestApi api, String id, int followers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(followers, r -> new Thread(r, "follower"));
    try {
      List<Future<Double>> rates = new ArrayList<>();
      for (int i = 0; i < followers; i++) {
        Callable<Double> one =
            () -> {
              long start = System.nanoTime();
              long lines = 0;
              try (SseEvents stream =
                  new SseEvents(
                      api.stream("/v1/instances/" + id + "/logs", "Accept", "text/event-stream")
                          .body())) {
                for (Optional<Event> e = stream.next(); e.isPresent(); e = stream.next()) {
                  if (e.get().name().equals("message")) {
                    lines++;
                  }
                }
              }
              assertThat(lines).isEqualTo(LINES);
              return lines / ((System.nanoTime() - start) / 1e9);
            };
        rates.add(pool.submit(one));
      }
      List<Double> result = new ArrayList<>();
      for (Future<Double> rate : rates) {
        result.add(rate.get());
      }
      return result;
    } finally {
      pool.shutdownNow();
    }
  }

  // The server's threads: Vert.x's and the core executor TestApi makes (pool-N-thread-M).
  private static long serverCpuNanos() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null
          && (info.getThreadName().startsWith("vert.x-")
              || info.getThreadName().startsWith("pool-"))) {
        long cpu = threads.getThreadCpuTime(info.getThreadId());
        total += Math.max(cpu, 0);
      }
    }
    return total;
  }
}
