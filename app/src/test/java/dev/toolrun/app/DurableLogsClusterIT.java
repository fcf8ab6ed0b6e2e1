package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Whole logs outlive a {@code kill -9} of toolrun: the real jar, with {@code logs.directory} set,
 * follows a task that prints 200,000 numbered lines, is killed in the middle and restarted, and
 * then serves every line the pod wrote, once each and in order, and says the log is complete. As
 * the runner user with toolrun's Role.
 */
class DurableLogsClusterIT {
  private static final String TOKEN = "durable-logs-it-token";
  private static final int LINES = 200_000;

  private LocalCluster cluster;
  private ToolrunProcess toolrun;
  private ToolrunClient api;
  private Path logs;

  private void start() {
    Map<String, String> env = new HashMap<>();
    env.put("TOOLRUN_RUNTIME", "kubernetes");
    env.put("TOOLRUN_KUBERNETES_PROFILE", "local-cluster");
    env.put("TOOLRUN_KUBERNETES_NAMESPACE", cluster.namespace());
    env.put("TOOLRUN_KUBERNETES_CONTEXT", LocalCluster.RUNNER_CONTEXT);
    env.put("TOOLRUN_AUTH_TOKEN", TOKEN);
    env.put("TOOLRUN_LOGS_DIRECTORY", logs.toString());
    env.put("KUBECONFIG", System.getenv("KUBECONFIG"));
    toolrun = new ToolrunProcess(env, Path.of("target/durable-logs-it")).start();
    api = new ToolrunClient(toolrun.port(), TOKEN);
  }

  @BeforeEach
  void cluster() throws Exception {
    cluster = LocalCluster.start();
    logs = Files.createTempDirectory("toolrun-durable-logs-it");
  }

  @AfterEach
  void stop() {
    if (toolrun != null) {
      toolrun.close();
    }
    cluster.close();
  }

  @Test
  void killedWhileARunPrintsEveryLineIsServedOnceInOrderAndTheLogIsComplete() {
    start();
    // 200,000 lines of about 12 bytes (2.4 MB, under the kubelet's 10 MiB rotation), with a pause
    // every 20,000 so that the kill lands in the middle.
    ToolrunClient.Answer registered =
        api.put(
            "/v1/tools/counter",
            """
            {"description": "prints numbered lines",
             "spec": {"mode": "TASK", "timeoutSeconds": 600,
                      "script": {"language": "shell", "source":
                        "i=0\\nwhile [ $i -lt %d ]; do\\n  echo \\"line $i\\"\\n  i=$((i+1))\\n  if [ $((i %% 20000)) -eq 0 ]; then sleep 1; fi\\ndone\\n"}}}
            """
                .formatted(LINES));
    assertThat(registered.status()).as(registered.body()).isIn(200, 201);
    ToolrunClient.Answer launched =
        api.post("/v1/instances", "{\"tool\": \"counter\", \"parameters\": {}}");
    assertThat(launched.status()).as(launched.body()).isEqualTo(201);
    String id = launched.json().get("id").asString();

    await().atMost(Duration.ofMinutes(3)).until(() -> storedLines(id) >= 40_000);
    assertThat(state(id)).as("killed while the run goes on").isIn("STARTING", "RUNNING");
    toolrun.kill();
    start();

    await().atMost(Duration.ofMinutes(4)).until(() -> state(id).equals("SUCCEEDED"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                "COMPLETE"
                    .equals(
                        api.get("/v1/instances/" + id)
                            .json()
                            .path("log")
                            .path("state")
                            .asString()));
    long expected = 0;
    long from = 0;
    while (true) {
      JsonNode page = api.get("/v1/instances/" + id + "/logs?limit=10000&from=" + from).json();
      JsonNode lines = page.get("lines");
      if (lines.isEmpty()) {
        break;
      }
      for (JsonNode line : lines) {
        assertThat(line.get("n").asLong()).isEqualTo(expected);
        assertThat(line.get("text").asString()).isEqualTo("line " + expected);
        expected++;
      }
      from = page.get("nextFrom").asLong();
    }
    assertThat(expected).as("lines served").isEqualTo(LINES);
    JsonNode log = api.get("/v1/instances/" + id).json().get("log");
    assertThat(log.get("state").asString()).isEqualTo("COMPLETE");
    assertThat(log.get("lines").asLong()).isEqualTo(LINES);
    assertThat(log.has("missing")).isFalse();
  }

  private long storedLines(String id) {
    return api.get("/v1/instances/" + id + "/logs?limit=1&from=100000000")
        .json()
        .get("nextFrom")
        .asLong();
  }

  private String state(String id) {
    return api.get("/v1/instances/" + id).json().get("state").asString();
  }
}
