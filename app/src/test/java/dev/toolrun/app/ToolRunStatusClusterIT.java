package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.LocalCluster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What a ToolRun's status tells beyond the run's state, on the local cluster: the real app with
 * ToolRun records and room for one task at a time, as the unprivileged runner with only the shipped
 * Role, read with kubectl as the same runner. Its log's completeness ({@code status.log}) once it
 * ran or was cancelled, and a waiting run's place in the admission queue ({@code
 * status.queuePosition}), gone once it runs. Each test leaves nothing running, so the next one has
 * the one slot.
 */
class ToolRunStatusClusterIT {
  private static final String TOKEN = "status-it-token";
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  private static LocalCluster cluster;
  private static ToolrunServer server;
  private static ToolrunClient api;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start();
    LocalCluster.installCrds();
    server =
        ClusterServers.on(
            cluster,
            TOKEN,
            Map.of(
                "TOOLRUN_KUBERNETES_RECORDS", "resources",
                "TOOLRUN_CAPACITY_MAX_TASKS", "1",
                "TOOLRUN_KUBERNETES_QUEUE_POSITION_REFRESH_SECONDS", "1"));
    api = new ToolrunClient(server.start(), TOKEN);
    register("printer", "echo one\\necho two\\necho three\\n");
    register("sleeper", "echo sleeping\\nsleep 300\\n");
  }

  @AfterAll
  static void stop() {
    server.stop();
    cluster.close();
  }

  @Test
  void aToolRunThatRanSaysItsLogIsCompleteWithItsLineCount() throws IOException {
    create("print-1", "printer");
    await()
        .atMost(PATIENCE)
        .until(
            () -> field("print-1", ".status.state"),
            state -> List.of("SUCCEEDED", "FAILED", "TIMED_OUT").contains(state));
    assertThat(field("print-1", ".status.state")).isEqualTo("SUCCEEDED");

    assertThat(field("print-1", ".status.log.state")).isEqualTo("COMPLETE");
    assertThat(field("print-1", ".status.log.lines")).isEqualTo("3");
    assertThat(field("print-1", ".status.log.droppedLines")).isEqualTo("0");
    assertThat(field("print-1", ".status.log.missing")).isEmpty();
    // As the REST API says it.
    JsonNode log = api.get("/v1/instances/" + id("print-1")).json().get("log");
    assertThat(log.get("state").asString()).isEqualTo("COMPLETE");
    assertThat(log.get("lines").asLong()).isEqualTo(3);
    assertThat(field("print-1", ".status.queuePosition")).isEmpty();
  }

  @Test
  void aCancelledRunsLogEndsRatherThanStayingOpen() throws IOException {
    create("sleep-1", "sleeper");
    String id = id("sleep-1");
    await().atMost(PATIENCE).until(() -> state(id).equals("RUNNING"));
    await().atMost(PATIENCE).until(() -> field("sleep-1", ".status.log.state").equals("OPEN"));
    await()
        .atMost(PATIENCE)
        .until(() -> api.get("/v1/instances/" + id).json().get("log").get("lines").asLong() == 1);

    assertThat(api.post("/v1/instances/" + id + "/cancel", "").status()).isEqualTo(200);

    await()
        .atMost(PATIENCE)
        .until(
            () -> field("sleep-1", ".status.log.state"),
            state -> List.of("COMPLETE", "INCOMPLETE").contains(state));
    assertThat(field("sleep-1", ".status.state")).isEqualTo("CANCELLED");
    assertThat(Long.parseLong(field("sleep-1", ".status.log.lines"))).isGreaterThanOrEqualTo(1);
    if (field("sleep-1", ".status.log.state").equals("INCOMPLETE")) {
      assertThat(field("sleep-1", ".status.log.missing")).isNotEmpty();
    }
  }

  @Test
  void waitingToolRunsShowTheirPlaceInTheQueueUntilTheyRun() throws IOException {
    create("queue-1", "sleeper");
    String first = id("queue-1");
    await().atMost(PATIENCE).until(() -> state(first).equals("RUNNING"));
    create("queue-2", "sleeper");
    create("queue-3", "sleeper");
    String second = id("queue-2");
    String third = id("queue-3");

    await().atMost(PATIENCE).until(() -> field("queue-2", ".status.queuePosition").equals("1"));
    await().atMost(PATIENCE).until(() -> field("queue-3", ".status.queuePosition").equals("2"));
    assertThat(field("queue-1", ".status.queuePosition")).isEmpty();
    assertThat(api.get("/v1/instances/" + third).json().get("queuePosition").asInt()).isEqualTo(2);

    // The first ends: the second runs, the third moves up.
    assertThat(api.post("/v1/instances/" + first + "/cancel", "").status()).isEqualTo(200);
    await().atMost(PATIENCE).until(() -> field("queue-3", ".status.queuePosition").equals("1"));
    await().atMost(PATIENCE).until(() -> !field("queue-2", ".status.state").isEmpty());
    await().atMost(PATIENCE).until(() -> field("queue-2", ".status.queuePosition").isEmpty());

    // The second ends: the third runs, and its place is gone.
    assertThat(api.post("/v1/instances/" + second + "/cancel", "").status()).isEqualTo(200);
    await().atMost(PATIENCE).until(() -> state(third).equals("RUNNING"));
    await().atMost(PATIENCE).until(() -> field("queue-3", ".status.queuePosition").isEmpty());
    assertThat(api.post("/v1/instances/" + third + "/cancel", "").status()).isEqualTo(200);
  }

  private static void register(String name, String script) {
    ToolrunClient.Answer registered =
        api.put(
            "/v1/tools/" + name,
            """
            {"description": "%s", "spec": {"mode": "TASK", "script": {"language": "shell", "source": "%s"}}}
            """
                .formatted(name, script));
    assertThat(registered.status()).as(registered.body()).isIn(200, 201);
  }

  private static void create(String name, String tool) throws IOException {
    kubectlWithInput(
        """
        apiVersion: toolrun.dev/v1alpha1
        kind: ToolRun
        metadata:
          name: %s
        spec:
          tool: %s
        """
            .formatted(name, tool),
        "create",
        "-f",
        "-");
  }

  /** The instance id toolrun gave the ToolRun {@code name}, once it has. */
  private static String id(String name) {
    return await()
        .atMost(PATIENCE)
        .until(
            () -> field(name, ".metadata.labels.toolrun\\.dev/instance"),
            label -> !label.isEmpty());
  }

  private static String state(String id) {
    return api.get("/v1/instances/" + id).json().get("state").asString();
  }

  /**
   * A field of the ToolRun {@code name}, as {@code kubectl get toolruns} lists it (the runner's
   * Role lets it list and watch ToolRuns, not get one by name); empty when it has none.
   */
  private static String field(String name, String path) throws IOException {
    return kubectl(
        "get",
        "toolruns",
        "-o",
        "jsonpath={.items[?(@.metadata.name==\"" + name + "\")]" + path + "}");
  }

  private static String kubectl(String... args) throws IOException {
    return kubectlWithInput(null, args);
  }

  /** kubectl as the runner, in the test's namespace; its output, trimmed. */
  private static String kubectlWithInput(String input, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "kubectl", "--context", LocalCluster.RUNNER_CONTEXT, "-n", cluster.namespace()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (input != null) {
      process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    }
    process.getOutputStream().close();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean exited = process.waitFor(2, TimeUnit.MINUTES);
      assertThat(exited && process.exitValue() == 0)
          .as("%s:%n%s", String.join(" ", command), output)
          .isTrue();
      return output.trim();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
