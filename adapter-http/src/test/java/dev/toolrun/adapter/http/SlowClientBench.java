package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Not a test (surefire does not pick it up by its name): the latency a normal client sees from the
 * API while a slow-client attack runs, next to the same client without the attack, in one run. Run
 * it by name, as docs/benchmarks.md says:
 *
 * <pre>
 * mvn -o -q -pl adapter-http -am verify -Dtest=SlowClientBench -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * <p>The attacker, from 127.0.0.2, keeps {@value #ATTACKERS} connections open and trickles one byte
 * of headers into each every second (well inside the header deadline, so each is held until its
 * deadline passes), and opens a new one for each that was closed. The normal client, from
 * 127.0.0.1, sends GETs one after another over one keep-alive connection. The server has its
 * default connection policy. It prints one {@code RESULT} line per phase; the only assertion is
 * that the normal client was answered at all.
 */
class SlowClientBench {
  private static final int ATTACKERS = 1500;
  private static final Duration PHASE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));
  private static final Duration WARM_UP = Duration.ofSeconds(10);

  @Test
  void normalClientLatencyWithAndWithoutASlowClientAttack() throws Exception {
    try (TestApi api = TestApi.start()) {
      assertThat(
              api.put(
                      "/v1/tools/bench",
                      "{\"spec\":{\"mode\":\"TASK\",\"script\":{\"language\":\"shell\","
                          + "\"source\":\"echo\"}}}")
                  .status())
          .isEqualTo(201);
      measure(api, WARM_UP);
      long[] quiet = measure(api, PHASE);
      report("quiet", quiet, 0, 0);

      Attack attack = new Attack(api.port());
      try {
        attack.start();
        // Let the attack reach its size before measuring.
        measure(api, WARM_UP);
        long opened = attack.opened.get();
        long[] attacked = measure(api, PHASE);
        report("attacked", attacked, attack.opened.get() - opened, attack.open());
      } finally {
        attack.stop();
      }
      // Again without the attack, so that a trend over the run (the JIT, the machine) shows.
      report("quiet_after", measure(api, PHASE), 0, 0);
    }
  }

  // Latencies in nanoseconds of GETs sent one after another for {@code time}.
  private static long[] measure(TestApi api, Duration time) {
    List<Long> latencies = new ArrayList<>();
    long end = System.nanoTime() + time.toNanos();
    while (System.nanoTime() < end) {
      long started = System.nanoTime();
      int status = api.get("/v1/tools/bench").status();
      latencies.add(System.nanoTime() - started);
      assertThat(status).isEqualTo(200);
    }
    return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  private static void report(String phase, long[] sorted, long reopened, int open) {
    System.out.printf(
        Locale.ROOT,
        "RESULT http.slow_clients phase=%s requests=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f"
            + " attack_connections_open=%d attack_connections_opened=%d%n",
        phase,
        sorted.length,
        percentile(sorted, 50) / 1e6,
        percentile(sorted, 99) / 1e6,
        sorted[sorted.length - 1] / 1e6,
        open,
        reopened);
  }

  private static long percentile(long[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  /** {@value #ATTACKERS} connections that trickle headers, each replaced when it is closed. */
  private static final class Attack {
    private final int port;
    private final Socket[] sockets = new Socket[ATTACKERS];
    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();
    final AtomicLong opened = new AtomicLong();

    Attack(int port) {
      this.port = port;
    }

    void start() {
      trickler.scheduleWithFixedDelay(this::trickle, 0, 1, TimeUnit.SECONDS);
    }

    int open() {
      return (int) Arrays.stream(sockets).filter(s -> s != null && !s.isClosed()).count();
    }

    private void trickle() {
      for (int i = 0; i < ATTACKERS; i++) {
        try {
          if (sockets[i] == null) {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            sockets[i] = socket;
            opened.incrementAndGet();
            socket
                .getOutputStream()
                .write("GET /v1/tools HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
          }
          OutputStream out = sockets[i].getOutputStream();
          out.write('X');
          out.flush();
          // A closed peer shows as a failed write only after its reset; an answer shows as input.
          if (sockets[i].getInputStream().available() > 0) {
            throw new IOException("answered");
          }
        } catch (IOException e) {
          close(i);
        }
      }
    }

    private void close(int i) {
      try {
        if (sockets[i] != null) {
          sockets[i].close();
        }
      } catch (IOException ignored) {
        // Closing is all that is wanted.
      }
      sockets[i] = null;
    }

    void stop() throws InterruptedException {
      trickler.shutdownNow();
      trickler.awaitTermination(10, TimeUnit.SECONDS);
      for (int i = 0; i < ATTACKERS; i++) {
        close(i);
      }
    }
  }
}
