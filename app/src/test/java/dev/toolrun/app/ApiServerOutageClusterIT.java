package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The local cluster's API server killed by its pid while a run is in flight, then started again
 * with {@code kube-local up}: readiness turns 503 within seconds and launches are refused at once,
 * the run in flight ends as it would have, and both recover by themselves.
 */
class ApiServerOutageClusterIT {
  private static final String TOKEN = "outage-it-token";
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  private static LocalCluster cluster;
  private static ToolrunServer server;
  private static ToolrunClient api;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start();
    server = ClusterServers.on(cluster, TOKEN);
    api = new ToolrunClient(server.start(), TOKEN);
  }

  @AfterAll
  static void stop() throws Exception {
    // Whatever happened above, the next suite needs its API server.
    kubeLocal("up");
    server.stop();
    cluster.close();
  }

  @Test
  void anOutageTurnsReadinessAndLaunchesTo503AtOnceAndLosesNothing() throws Exception {
    ToolrunClient.Answer registered =
        api.put(
            "/v1/tools/patient",
            """
            {"spec": {"mode": "TASK", "timeoutSeconds": 300, "script": {"language": "python",
              "source": "import json, os, time\\ntime.sleep(25)\\nprint('done')\\nopen(os.environ['TOOLRUN_RESULT_FILE'], 'w').write(json.dumps({'slept': 25}))\\n"}}}
            """);
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);
    String id = api.post("/v1/instances", "{\"tool\": \"patient\"}").json().get("id").asString();
    await().atMost(PATIENCE).until(() -> state(id).equals("RUNNING"));
    assertThat(api.get("/health/ready").status()).isEqualTo(200);

    long killedAt = System.nanoTime();
    killApiServer();

    await("readiness turns 503")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> api.get("/health/ready").status() == 503);
    double readinessSeconds = (System.nanoTime() - killedAt) / 1e9;
    JsonNode down = api.get("/health/ready").json();
    assertThat(down.get("problems").get(0).asString()).contains("unreachable");

    long launchedAt = System.nanoTime();
    ToolrunClient.Answer refused = api.post("/v1/instances", "{\"tool\": \"patient\"}");
    double refusalSeconds = (System.nanoTime() - launchedAt) / 1e9;
    assertThat(refused.status()).as(refused.body()).isEqualTo(503);
    assertThat(refused.json().get("code").asString()).isEqualTo("RUNTIME_UNAVAILABLE");
    assertThat(refused.header("Retry-After")).isPresent();
    assertThat(refusalSeconds).as("a launch is refused at once").isLessThan(1.0);
    assertThat(api.get("/v1/instances/" + id).status()).as("reads go on").isEqualTo(200);
    System.out.printf(
        "RESULT outage.detection readiness_503_after_s=%.2f launch_refused_in_s=%.3f%n",
        readinessSeconds, refusalSeconds);

    kubeLocal("up");
    long upAt = System.nanoTime();
    await("readiness recovers")
        .atMost(PATIENCE)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> api.get("/health/ready").status() == 200);
    System.out.printf(
        "RESULT outage.recovery ready_after_up_s=%.2f%n", (System.nanoTime() - upAt) / 1e9);

    await("the run in flight ends").atMost(PATIENCE).until(() -> !state(id).equals("RUNNING"));
    JsonNode done = api.get("/v1/instances/" + id).json();
    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("result").get("slept").asInt()).isEqualTo(25);
    assertThat(api.post("/v1/instances", "{\"tool\": \"patient\"}").status()).isEqualTo(201);
  }

  private static String state(String id) {
    return api.get("/v1/instances/" + id).json().get("state").asString();
  }

  private static Path kubeLocalHome() {
    String home = System.getenv("KL_HOME");
    return home != null
        ? Path.of(home)
        : Path.of(System.getProperty("user.home"), ".cache", "kube-local");
  }

  private static void killApiServer() throws IOException, InterruptedException {
    String pid = Files.readString(kubeLocalHome().resolve("run/apiserver.pid")).trim();
    // SIGKILL, as a crash or a lost node would end it: a SIGTERM'd API server drains for up to a
    // minute, holding its watches, and toolrun learns of it at the first request that fails.
    Process kill = new ProcessBuilder("kill", "-9", pid).inheritIO().start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).as("kill %s", pid).isZero();
  }

  /**
   * Runs kube-local: {@code KUBE_LOCAL}, else beside the repository as CI and the README put it.
   */
  private static void kubeLocal(String command) throws IOException, InterruptedException {
    String configured = System.getenv("KUBE_LOCAL");
    Path script =
        configured != null
            ? Path.of(configured)
            : Path.of("..", "..", "shared", "kube-local", "kube-local").toAbsolutePath();
    if (!Files.isExecutable(script)) {
      script = Path.of("/work/shared/kube-local/kube-local");
    }
    Process process = new ProcessBuilder(script.toString(), command).inheritIO().start();
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s %s", script, command).isTrue();
    assertThat(process.exitValue()).as("%s %s", script, command).isZero();
  }
}
