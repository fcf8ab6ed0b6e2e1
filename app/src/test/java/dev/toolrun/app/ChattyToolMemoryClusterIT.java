package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Output cannot grow toolrun's memory without bound: the real jar, with a 256 MiB heap, follows a
 * python tool that prints 50 MB and then 500 MB of 100-byte lines. After the run its heap after a
 * full collection is within its records budget (a quarter of the heap), whatever the tool printed,
 * and its log kept only its last {@code logs.max-lines-per-instance} lines. Prints toolrun's heap
 * and resident set for {@code docs/reliability.md}.
 */
class ChattyToolMemoryClusterIT {
  private static final String TOKEN = "chatty-tool-it-token";
  private static final long HEAP_BYTES = 256L * 1024 * 1024;
  private static final long BUDGET_BYTES = HEAP_BYTES / 4;
  private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");
  private static final Pattern PEAK_RSS = Pattern.compile("VmHWM:\\s+(\\d+) kB");

  private LocalCluster cluster;
  private ToolrunProcess toolrun;
  private ToolrunClient api;

  @BeforeEach
  void start() {
    cluster = LocalCluster.start();
    Map<String, String> env = new HashMap<>();
    env.put("TOOLRUN_RUNTIME", "kubernetes");
    env.put("TOOLRUN_KUBERNETES_PROFILE", "local-cluster");
    env.put("TOOLRUN_KUBERNETES_NAMESPACE", cluster.namespace());
    env.put("TOOLRUN_KUBERNETES_CONTEXT", LocalCluster.RUNNER_CONTEXT);
    env.put("TOOLRUN_AUTH_TOKEN", TOKEN);
    env.put("KUBECONFIG", System.getenv("KUBECONFIG"));
    env.put("JAVA_TOOL_OPTIONS", "-Xmx" + HEAP_BYTES / 1024 / 1024 + "m");
    toolrun = new ToolrunProcess(env, Path.of("target/chatty-tool-it")).start();
    api = new ToolrunClient(toolrun.port(), TOKEN);
  }

  @AfterEach
  void stop() {
    if (toolrun != null) {
      toolrun.close();
    }
    cluster.close();
  }

  @ParameterizedTest(name = "{0} MB of output")
  @ValueSource(ints = {50, 500})
  void aChattyToolLeavesToolrunsHeapWithinItsBudget(int megabytes) {
    long lines = megabytes * 10_000L;
    ToolrunClient.Answer registered =
        api.put(
            "/v1/tools/chatty",
            """
            {"description": "prints %d lines of 100 bytes",
             "spec": {"mode": "TASK", "timeoutSeconds": 600,
                      "script": {"language": "python", "source":
                        "import sys\\nblock = ('x' * 99 + '\\\\n') * 10000\\nfor _ in range(%d):\\n    sys.stdout.write(block)\\nsys.stdout.flush()\\n"}}}
            """
                .formatted(lines, lines / 10_000));
    assertThat(registered.status()).as(registered.body()).isIn(200, 201);
    ToolrunClient.Answer launched = api.post("/v1/instances", "{\"tool\": \"chatty\"}");
    assertThat(launched.status()).as(launched.body()).isEqualTo(201);
    String id = launched.json().get("id").asString();

    await()
        .atMost(Duration.ofMinutes(6))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> List.of("SUCCEEDED", "FAILED", "TIMED_OUT").contains(state(id)));

    assertThat(state(id)).isEqualTo("SUCCEEDED");
    JsonNode log = api.get("/v1/instances/" + id).json().get("log");
    long kept = log.get("lines").asLong() - log.get("droppedLines").asLong();
    long heap = heapAfterFullGc();
    long peakRss = peakRss();
    System.out.printf(
        "RESULT logs.chatty_tool_memory output_mb=%d lines_written=%d lines_seen=%d lines_kept=%d"
            + " log_state=%s heap_after_gc_mb=%.1f budget_mb=%d max_heap_mb=%d peak_rss_mb=%.1f%n",
        megabytes,
        lines,
        log.get("lines").asLong(),
        kept,
        log.get("state").asString(),
        heap / 1048576.0,
        BUDGET_BYTES / 1048576,
        HEAP_BYTES / 1048576,
        peakRss / 1048576.0);
    assertThat(kept).as("lines kept").isLessThanOrEqualTo(10_000);
    assertThat(heap).as("heap after a full GC").isLessThanOrEqualTo(BUDGET_BYTES);
    assertThat(api.get("/health/ready").status()).isEqualTo(200);
  }

  private String state(String id) {
    return api.get("/v1/instances/" + id).json().get("state").asString();
  }

  // What jcmd reports of toolrun's heap after it asked for a full collection.
  private long heapAfterFullGc() {
    jcmd("GC.run");
    Matcher used = HEAP_USED.matcher(jcmd("GC.heap_info"));
    assertThat(used.find()).as("jcmd GC.heap_info names the heap's use").isTrue();
    return Long.parseLong(used.group(1)) * 1024;
  }

  private String jcmd(String command) {
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    try {
      Process jcmd =
          new ProcessBuilder(
                  java.resolveSibling("jcmd").toString(), Long.toString(toolrun.pid()), command)
              .redirectErrorStream(true)
              .start();
      String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(jcmd.waitFor()).as(out).isZero();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  // The most resident memory toolrun's process has had, from the kernel's count.
  private long peakRss() {
    try {
      Matcher peak =
          PEAK_RSS.matcher(Files.readString(Path.of("/proc/" + toolrun.pid() + "/status")));
      assertThat(peak.find()).isTrue();
      return Long.parseLong(peak.group(1)) * 1024;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
