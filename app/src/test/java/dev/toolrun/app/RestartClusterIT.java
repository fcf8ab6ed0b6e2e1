package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.LocalCluster;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Nothing is lost when toolrun dies: the real jar, killed with SIGKILL while runs are going and
 * while launches are still waiting, is restarted, and every run ends as it should, with its log and
 * result, and with exactly one Job each. As the runner user with toolrun's Role.
 */
class RestartClusterIT {
  private static final String TOKEN = "restart-it-token";
  private static final Duration PATIENCE = Duration.ofMinutes(4);
  private static final int RUNS = 20;

  private LocalCluster cluster;
  private ToolrunProcess toolrun;
  private ToolrunClient api;

  private void start(Map<String, String> extra) {
    Map<String, String> env = new HashMap<>(extra);
    env.put("TOOLRUN_RUNTIME", "kubernetes");
    env.put("TOOLRUN_KUBERNETES_PROFILE", "local-cluster");
    env.put("TOOLRUN_KUBERNETES_NAMESPACE", cluster.namespace());
    env.put("TOOLRUN_KUBERNETES_CONTEXT", LocalCluster.RUNNER_CONTEXT);
    env.put("TOOLRUN_AUTH_TOKEN", TOKEN);
    env.put("KUBECONFIG", System.getenv("KUBECONFIG"));
    toolrun = new ToolrunProcess(env, Path.of("target/restart-it")).start();
    api = new ToolrunClient(toolrun.port(), TOKEN);
  }

  @BeforeEach
  void cluster() {
    cluster = LocalCluster.start();
  }

  @AfterEach
  void stop() {
    if (toolrun != null) {
      toolrun.close();
    }
    cluster.close();
  }

  private void registerSleeper() {
    ToolrunClient.Answer registered =
        api.put(
            "/v1/tools/sleeper",
            """
            {"description": "sleeps, then says so",
             "spec": {"mode": "TASK", "cleanupPolicy": "NEVER", "timeoutSeconds": 300,
                      "script": {"language": "shell", "source":
                        "n=$(sed -E 's/.*\\"seconds\\": *([0-9]+).*/\\\\1/' \\"$TOOLRUN_PARAMETERS_FILE\\")\\necho start $n\\nsleep $n\\necho done $n\\nprintf '{\\"slept\\":%s}' $n > \\"$TOOLRUN_RESULT_FILE\\"\\n"}}}
            """);
    assertThat(registered.status()).as(registered.body()).isIn(200, 201);
  }

  private List<String> launchAll(int seconds0) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < RUNS; i++) {
      ToolrunClient.Answer launched =
          api.post(
              "/v1/instances",
              "{\"tool\": \"sleeper\", \"parameters\": {\"seconds\": " + (seconds0 + i % 6) + "}}");
      assertThat(launched.status()).as(launched.body()).isEqualTo(201);
      ids.add(launched.json().get("id").asString());
    }
    return ids;
  }

  private String state(String id) {
    return api.get("/v1/instances/" + id).json().get("state").asString();
  }

  private long count(List<String> ids, String wanted) {
    return ids.stream().filter(id -> state(id).equals(wanted)).count();
  }

  private void expectEveryRunSucceededOnce(List<String> ids) {
    await().atMost(PATIENCE).until(() -> count(ids, "SUCCEEDED") == RUNS);
    for (String id : ids) {
      JsonNode instance = api.get("/v1/instances/" + id).json();
      int seconds = instance.get("parameters").get("seconds").asInt();
      assertThat(instance.get("result").get("slept").asInt()).as(id).isEqualTo(seconds);
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(api.get("/v1/instances/" + id + "/logs").body())
                      .as(id)
                      .contains("done " + seconds));
    }
    assertThat(
            cluster
                .admin()
                .batch()
                .v1()
                .jobs()
                .inNamespace(cluster.namespace())
                .withLabel("toolrun.dev/tool", "sleeper")
                .list()
                .getItems())
        .as("exactly one Job was ever created per run (cleanup NEVER keeps them all)")
        .hasSize(RUNS);
    ToolrunClient.Answer tool = api.get("/v1/tools/sleeper");
    assertThat(tool.status()).as("tools are still registered: %s", tool.body()).isEqualTo(200);
  }

  @Test
  void killedWhileRunsAreGoingEveryRunStillEndsWithItsLogsAndResult() {
    start(Map.of());
    registerSleeper();
    List<String> ids = launchAll(2);
    // Some runs have ended, the others are still going.
    await().atMost(PATIENCE).until(() -> count(ids, "SUCCEEDED") >= 3);

    toolrun.kill();
    String orphan = createOrphanJob();
    start(Map.of());

    expectEveryRunSucceededOnce(ids);
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(toolrun.log()).contains("orphaned workload").contains(orphan));
    assertThat(
            cluster
                .admin()
                .batch()
                .v1()
                .jobs()
                .inNamespace(cluster.namespace())
                .withName("toolrun-" + orphan)
                .get())
        .as("an orphaned Job is reported, not deleted")
        .isNotNull();
  }

  /**
   * A Job with toolrun's labels and no record, as if its record had been deleted by hand while
   * toolrun was down; the name of its instance.
   */
  private String createOrphanJob() {
    String instance = "0190a000-0000-7000-8000-000000000001";
    cluster
        .admin()
        .batch()
        .v1()
        .jobs()
        .inNamespace(cluster.namespace())
        .resource(
            new JobBuilder()
                .withNewMetadata()
                .withName("toolrun-" + instance)
                .addToLabels("app.kubernetes.io/managed-by", "toolrun")
                .addToLabels("toolrun.dev/instance", instance)
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0)
                .withNewTemplate()
                .withNewMetadata()
                .addToLabels("app.kubernetes.io/managed-by", "toolrun")
                .addToLabels("toolrun.dev/instance", instance)
                .endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withNewSecurityContext()
                .withRunAsNonRoot(true)
                .withRunAsUser(1000L)
                .withNewSeccompProfile()
                .withType("RuntimeDefault")
                .endSeccompProfile()
                .endSecurityContext()
                .addNewContainer()
                .withName("tool")
                .withImage("kube-local.test/busybox:1")
                .withImagePullPolicy("IfNotPresent")
                .withCommand("true")
                .withNewSecurityContext()
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities()
                .withDrop("ALL")
                .endCapabilities()
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .endTemplate()
                .endSpec()
                .build())
        .create();
    return instance;
  }

  @Test
  void killedWhileLaunchesWaitEveryRunStillStartsExactlyOnce() {
    // Few runs at a time and a slow API budget: most launches are recorded but have no Job yet.
    Map<String, String> slow =
        Map.of(
            "TOOLRUN_CAPACITY_MAX_TASKS",
            "3",
            "TOOLRUN_KUBERNETES_API_QPS",
            "2",
            "TOOLRUN_KUBERNETES_API_BURST",
            "3");
    start(slow);
    registerSleeper();
    List<String> ids = launchAll(1);
    assertThat(count(ids, "PENDING")).as("launches waiting for capacity").isGreaterThan(10);

    toolrun.kill();
    start(Map.of());

    expectEveryRunSucceededOnce(ids);
  }

  @Test
  void theSameIdempotencyKeyAcrossARestartIsOneInstanceAndOneJob() {
    start(Map.of());
    registerSleeper();
    String body = "{\"tool\": \"sleeper\", \"parameters\": {\"seconds\": 1}}";
    ToolrunClient.Answer first =
        api.postWith("/v1/instances", body, Map.of("Idempotency-Key", "nightly-42"));
    assertThat(first.status()).as(first.body()).isEqualTo(201);

    toolrun.kill();
    start(Map.of());
    ToolrunClient.Answer again =
        api.postWith("/v1/instances", body, Map.of("Idempotency-Key", "nightly-42"));

    assertThat(again.status()).as(again.body()).isEqualTo(200);
    String id = first.json().get("id").asString();
    assertThat(again.json().get("id").asString()).isEqualTo(id);
    await().atMost(PATIENCE).until(() -> state(id).equals("SUCCEEDED"));
    assertThat(
            cluster
                .admin()
                .batch()
                .v1()
                .jobs()
                .inNamespace(cluster.namespace())
                .withLabel("toolrun.dev/tool", "sleeper")
                .list()
                .getItems())
        .hasSize(1);
    ToolrunClient.Answer different =
        api.postWith(
            "/v1/instances",
            "{\"tool\": \"sleeper\", \"parameters\": {\"seconds\": 2}}",
            Map.of("Idempotency-Key", "nightly-42"));
    assertThat(different.status()).as(different.body()).isEqualTo(409);
  }
}
