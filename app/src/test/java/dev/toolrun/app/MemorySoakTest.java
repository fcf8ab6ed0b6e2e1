package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.toolrun.app.config.ConfigLoader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The memory soak: the whole service, in a JVM of 128 MiB heap (app/pom.xml's {@code small-heap}
 * run), takes the largest and most token-dense launches its limits allow, one after the other,
 * until the records' memory budget refuses them. No answer is a 500, the JVM never runs out of
 * memory, readiness reports the pressure, the heap after a full GC stays within the budget, and
 * once runs have ended and retention has removed their records, launches are taken again. Prints
 * the heap kept per byte of request ({@code RESULT memory.soak ...}, docs/benchmarks.md).
 */
class MemorySoakTest {
  private static final String TOKEN = "soak-token";
  private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");

  private static ToolrunServer server;
  private static String base;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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
                        // Runs stay active until cancelled: retention cannot remove them before.
                        "TOOLRUN_IN_MEMORY_STEP_DELAY_MS", "60000",
                        "TOOLRUN_CAPACITY_MAX_TASKS", "1000")));
    base = "http://127.0.0.1:" + server.start();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.stop();
    }
  }

  /**
   * As many tokens as {@code http.max-json-tokens} (100,000) allows, empty arrays being the
   * densest, and then as many bytes as {@code http.max-body-bytes} (1 MiB) allows, in one string.
   */
  static String densestLargestLaunch(int n) {
    StringBuilder body = new StringBuilder("{\"tool\":\"soak\",\"parameters\":{\"n\":" + n);
    body.append(",\"arrays\":[");
    int arrays = 49_980;
    for (int i = 0; i < arrays; i++) {
      body.append(i == 0 ? "[]" : ",[]");
    }
    body.append("],\"fill\":\"");
    int rest = 1024 * 1024 - body.length() - 4;
    body.append("x".repeat(rest)).append("\"}}");
    return body.toString();
  }

  @Test
  void aStreamOfTheLargestLaunchesEndsInRefusalsNotInAnOutOfMemoryError() throws Exception {
    assumeTrue(
        Runtime.getRuntime().maxMemory() <= 256L * 1024 * 1024,
        "runs in app/pom.xml's small-heap execution (-Xmx128m), not with a large default heap");
    assertThat(
            send(
                    "PUT",
                    "/v1/tools/soak",
                    "{\"spec\":{\"mode\":\"TASK\",\"image\":{\"name\":\"s:1\"}}}")
                .statusCode())
        .isEqualTo(201);
    long budget = Runtime.getRuntime().maxMemory() / 100 * 25;
    int enough = (int) (budget / (1024 * 1024)) + 20;
    Map<Integer, Integer> statuses = new TreeMap<>();
    List<String> accepted = new ArrayList<>();
    // Warm-up, before the baseline: the first launches fill caches and pools of the server's own,
    // which are not what a record keeps.
    for (int n = -3; n < 0; n++) {
      HttpResponse<String> warm = send("POST", "/v1/instances", densestLargestLaunch(n));
      assertThat(warm.statusCode()).as(warm.body()).isEqualTo(201);
      accepted.add(id(warm.body()));
    }
    long baseline = heapAfterGc();

    long requestBytes = 0;
    HttpResponse<String> refusal = null;
    for (int n = 0; n < enough && refusal == null; n++) {
      String body = densestLargestLaunch(n);
      HttpResponse<String> answer = send("POST", "/v1/instances", body);
      statuses.merge(answer.statusCode(), 1, Integer::sum);
      if (answer.statusCode() == 201) {
        accepted.add(id(answer.body()));
        requestBytes += body.getBytes(StandardCharsets.UTF_8).length;
      } else {
        refusal = answer;
      }
    }
    assertThat(refusal).as("the budget refused a launch; answers: %s", statuses).isNotNull();
    assertThat(refusal.statusCode()).as(refusal.body()).isEqualTo(503);
    assertThat(refusal.body()).contains("\"code\":\"MEMORY_BUDGET_EXCEEDED\"");
    assertThat(refusal.headers().firstValue("Retry-After")).isPresent();
    assertThat(statuses.keySet())
        .as("201 until the budget, then 503; never 500")
        .containsOnly(201, 503);

    HttpResponse<String> ready = send("GET", "/health/ready", null);
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).contains("\"warnings\"").contains("records.memory-budget-bytes");

    // What the records launched after the baseline keep, against what the budget allows them.
    long held = heapAfterGc() - baseline;
    double perRequestByte = (double) held / requestBytes;
    System.out.printf(
        "RESULT memory.soak max_heap_bytes=%d budget_bytes=%d launches_accepted=%d"
            + " launches_measured=%d request_bytes=%d heap_held_bytes=%d"
            + " heap_per_request_byte=%.2f%n",
        Runtime.getRuntime().maxMemory(),
        budget,
        accepted.size(),
        accepted.size() - 3,
        requestBytes,
        held,
        perRequestByte);
    assertThat(held).as("heap after GC within the budget").isLessThanOrEqualTo(budget);
    assertThat(perRequestByte).as("heap per byte of request").isLessThanOrEqualTo(2.0);

    // Cancelled runs end; retention, asked by the next refusal, removes their records.
    for (String id : accepted) {
      assertThat(send("POST", "/v1/instances/" + id + "/cancel", null).statusCode()).isEqualTo(200);
    }
    await()
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> send("POST", "/v1/instances", densestLargestLaunch(-4)).statusCode() == 201);
  }

  private static String id(String body) {
    Matcher m = ID.matcher(body);
    assertThat(m.find()).as(body).isTrue();
    return m.group(1);
  }

  private static long heapAfterGc() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    long used = Long.MAX_VALUE;
    // Two collections: the first may leave objects whose finalisation frees more.
    for (int i = 0; i < 3; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  private static HttpResponse<String> send(String method, String path, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + TOKEN)
            .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return HTTP.send(request.build(), BodyHandlers.ofString());
  }
}
