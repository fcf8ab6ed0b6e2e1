package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.LocalCluster;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The real app (configuration, injector, core, Kubernetes runtime, HTTP API) on the local cluster,
 * driven through its HTTP API, acting as the unprivileged runner user with only toolrun's Role.
 */
class KubernetesEndToEndClusterIT {
  private static final String TOKEN = "cluster-it-token";
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String SECRET = "s3cr3t-VALUE-42";

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
  static void stop() {
    server.stop();
    cluster.close();
  }

  private static void register(String name, String spec) {
    ToolrunClient.Answer answer =
        api.put("/v1/tools/" + name, "{\"description\": \"cluster test\", \"spec\": " + spec + "}");
    assertThat(answer.status()).as(answer.body()).isIn(200, 201);
  }

  private static String launch(String body) {
    ToolrunClient.Answer answer = api.post("/v1/instances", body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    return answer.json().get("id").asString();
  }

  private static JsonNode awaitState(String id, String... states) {
    List<String> wanted = List.of(states);
    await()
        .atMost(PATIENCE)
        .until(
            () -> wanted.contains(api.get("/v1/instances/" + id).json().get("state").asString()));
    return api.get("/v1/instances/" + id).json();
  }

  private static String logs(String id) {
    await()
        .atMost(PATIENCE)
        .until(() -> api.get("/v1/instances/" + id + "/logs").json().get("complete").asBoolean());
    StringBuilder text = new StringBuilder();
    api.get("/v1/instances/" + id + "/logs?limit=10000")
        .json()
        .get("lines")
        .forEach(l -> text.append(l.get("text").asString()).append('\n'));
    return text.toString();
  }

  private static String objectName(String id) {
    return "toolrun-" + id;
  }

  private static boolean jobExists(String id) {
    return cluster
            .admin()
            .batch()
            .v1()
            .jobs()
            .inNamespace(cluster.namespace())
            .withName(objectName(id))
            .get()
        != null;
  }

  private static boolean configMapExists(String id) {
    return cluster
            .admin()
            .configMaps()
            .inNamespace(cluster.namespace())
            .withName(objectName(id))
            .get()
        != null;
  }

  @Test
  void aPythonScriptReadsItsParametersAndSecretAndReturnsAResult() {
    register(
        "adder",
        """
        {"mode": "TASK", "cleanupPolicy": "NEVER", "secretInputs": ["API_TOKEN"],
         "script": {"language": "python", "source":
           "import json, os\\np = json.load(open(os.environ['TOOLRUN_PARAMETERS_FILE']))\\ntoken = os.environ['API_TOKEN']\\nprint('adding', p['a'], 'and', p['b'], 'with a token of', len(token), 'characters')\\nopen(os.environ['TOOLRUN_RESULT_FILE'], 'w').write(json.dumps({'sum': p['a'] + p['b'], 'tokenLength': len(token)}))\\n"}}
        """);

    String id =
        launch(
            "{\"tool\": \"adder\", \"parameters\": {\"a\": 2, \"b\": 40}, \"secrets\":"
                + " {\"API_TOKEN\": \""
                + SECRET
                + "\"}}");
    JsonNode done = awaitState(id, "SUCCEEDED", "FAILED", "TIMED_OUT");

    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("result").get("sum").asInt()).isEqualTo(42);
    assertThat(done.get("result").get("tokenLength").asInt()).isEqualTo(SECRET.length());
    assertThat(done.get("secretNames").get(0).asString()).isEqualTo("API_TOKEN");
    String logs = logs(id);
    assertThat(logs).contains("adding 2 and 40 with a token of " + SECRET.length() + " characters");

    // The secret is in the Secret object and nowhere else.
    String configMap =
        new KubernetesSerialization()
            .asYaml(
                cluster
                    .admin()
                    .configMaps()
                    .inNamespace(cluster.namespace())
                    .withName(objectName(id))
                    .get());
    assertThat(configMap).contains("parameters.json").doesNotContain(SECRET);
    assertThat(
            new KubernetesSerialization()
                .asYaml(
                    cluster
                        .admin()
                        .batch()
                        .v1()
                        .jobs()
                        .inNamespace(cluster.namespace())
                        .withName(objectName(id))
                        .get()))
        .doesNotContain(SECRET);
    assertThat(logs).doesNotContain(SECRET);
    assertThat(api.get("/v1/instances/" + id).body()).doesNotContain(SECRET);
    assertThat(api.get("/v1/instances?tool=adder").body()).doesNotContain(SECRET);
    assertThat(api.get("/v1/instances/" + id + "/logs").body()).doesNotContain(SECRET);
  }

  @Test
  void aShellToolThatExitsWithThreeFailsWithCodeThreeAndKeepsItsLogs() {
    register(
        "exit-three",
        """
        {"mode": "TASK", "script": {"language": "shell", "source": "echo about to fail\\nexit 3\\n"}}\
        """);

    String id = launch("{\"tool\": \"exit-three\"}");
    JsonNode done = awaitState(id, "SUCCEEDED", "FAILED", "TIMED_OUT");

    assertThat(done.get("state").asString()).isEqualTo("FAILED");
    assertThat(done.get("exitCode").asInt()).isEqualTo(3);
    assertThat(done.get("failure").get("kind").asString()).isEqualTo("EXITED_NON_ZERO");
    assertThat(logs(id)).contains("about to fail");
    await().atMost(PATIENCE).until(() -> !jobExists(id));
    assertThat(logs(id)).as("logs outlive the Job").contains("about to fail");
  }

  @Test
  void aTaskTooQuickToBeSeenRunningIsRecordedRunningFromItsContainersStart() {
    register(
        "quick-true",
        """
        {"mode": "TASK", "image": {"name": "kube-local.test/busybox:1", "command": ["true"]}}\
        """);

    String id = launch("{\"tool\": \"quick-true\"}");
    JsonNode done = awaitState(id, "SUCCEEDED", "FAILED", "TIMED_OUT");

    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
    List<String> states = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    done.get("history")
        .forEach(
            change -> {
              states.add(change.get("state").asString());
              times.add(Instant.parse(change.get("at").asString()));
            });
    assertThat(states).containsExactly("PENDING", "CREATING", "STARTING", "RUNNING", "SUCCEEDED");
    assertThat(times).isSorted();
  }

  @Test
  void aRecordDeletedByHandFreesItsCapacityAndItsPlaceInTheQueue() {
    // A toolrun of its own, in a namespace of its own, that runs one task at a time.
    try (LocalCluster own = LocalCluster.start()) {
      ToolrunServer single =
          ClusterServers.on(own, TOKEN, Map.of("TOOLRUN_CAPACITY_MAX_TASKS", "1"));
      ToolrunClient client = new ToolrunClient(single.start(), TOKEN);
      try {
        ToolrunClient.Answer registered =
            client.put(
                "/v1/tools/sleeper",
                "{\"description\": \"cluster test\", \"spec\": {\"mode\": \"TASK\","
                    + " \"image\": {\"name\": \"kube-local.test/busybox:1\","
                    + " \"command\": [\"sleep\", \"3600\"]}}}");
        assertThat(registered.status()).as(registered.body()).isIn(200, 201);
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
          ToolrunClient.Answer launched = client.post("/v1/instances", "{\"tool\": \"sleeper\"}");
          assertThat(launched.status()).as(launched.body()).isEqualTo(201);
          ids.add(launched.json().get("id").asString());
        }
        String active = ids.get(0);
        String queued = ids.get(1);
        String last = ids.get(2);
        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    "RUNNING"
                        .equals(
                            client.get("/v1/instances/" + active).json().get("state").asString()));
        assertThat(client.get("/v1/instances/" + last).json().get("queuePosition").asInt())
            .isEqualTo(2);

        // As kubectl delete toolrun <id> does.
        deleteRecord(own, queued);
        await().atMost(PATIENCE).until(() -> client.get("/v1/instances/" + queued).status() == 404);
        assertThat(client.get("/v1/instances/" + last).json().get("queuePosition").asInt())
            .isEqualTo(1);
        deleteRecord(own, active);

        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    "RUNNING"
                        .equals(
                            client.get("/v1/instances/" + last).json().get("state").asString()));
        assertThat(client.get("/v1/instances/" + active).status()).isEqualTo(404);
        // The Job of the deleted record goes with it; the queued one never had one.
        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    own.admin()
                            .batch()
                            .v1()
                            .jobs()
                            .inNamespace(own.namespace())
                            .withName(objectName(active))
                            .get()
                        == null);
        assertThat(
                own.admin()
                    .batch()
                    .v1()
                    .jobs()
                    .inNamespace(own.namespace())
                    .withName(objectName(queued))
                    .get())
            .isNull();
        assertThat(client.post("/v1/instances/" + last + "/cancel", "").status()).isEqualTo(200);
      } finally {
        single.stop();
      }
    }
  }

  @Test
  void aCancelInAnyStateEndsTheRunCancelledOrAnswers409NamingItsOutcome() {
    // A toolrun of its own that runs one task at a time, so that a launch can be seen queued.
    try (LocalCluster own = LocalCluster.start()) {
      ToolrunServer single =
          ClusterServers.on(own, TOKEN, Map.of("TOOLRUN_CAPACITY_MAX_TASKS", "1"));
      ToolrunClient client = new ToolrunClient(single.start(), TOKEN);
      try {
        registerOn(
            client,
            "nowhere",
            "{\"name\": \"kube-local.test/busybox:1\", \"command\": [\"sleep\", \"3600\"]},"
                + " \"nodeSelector\": {\"toolrun.test/none\": \"x\"}");
        registerOn(
            client,
            "sleeper",
            "{\"name\": \"kube-local.test/busybox:1\"," + " \"command\": [\"sleep\", \"3600\"]}");
        registerOn(
            client,
            "quick",
            "{\"name\": \"kube-local.test/busybox:1\"," + " \"command\": [\"true\"]}");
        registerOn(
            client,
            "failing",
            "{\"name\": \"kube-local.test/busybox:1\","
                + " \"command\": [\"sh\", \"-c\", \"exit 3\"]}");

        // STARTING: its pod finds no node (within the unschedulable grace), and it holds the slot.
        String starting = launchOn(client, "nowhere");
        awaitStateOn(client, starting, "STARTING");
        // PENDING: queued behind it.
        String pending = launchOn(client, "sleeper");
        assertThat(client.get("/v1/instances/" + pending).json().get("state").asString())
            .isEqualTo("PENDING");
        assertCancelled(client, pending);
        assertCancelled(client, starting);
        // RUNNING.
        String running = launchOn(client, "sleeper");
        awaitStateOn(client, running, "RUNNING");
        assertCancelled(client, running);
        // CANCELLED again: unchanged, 200.
        assertCancelled(client, running);
        // Ended otherwise: 409 naming the outcome, which stays.
        assertOutcomeKept(client, launchOn(client, "quick"), "SUCCEEDED");
        assertOutcomeKept(client, launchOn(client, "failing"), "FAILED");
      } finally {
        single.stop();
      }
    }
  }

  private static void registerOn(ToolrunClient client, String name, String imageAndPlacement) {
    ToolrunClient.Answer registered =
        client.put(
            "/v1/tools/" + name,
            "{\"description\": \"cluster test\", \"spec\": {\"mode\": \"TASK\", \"image\": "
                + imageAndPlacement
                + "}}");
    assertThat(registered.status()).as(registered.body()).isIn(200, 201);
  }

  private static String launchOn(ToolrunClient client, String tool) {
    ToolrunClient.Answer launched = client.post("/v1/instances", "{\"tool\": \"" + tool + "\"}");
    assertThat(launched.status()).as(launched.body()).isEqualTo(201);
    return launched.json().get("id").asString();
  }

  private static String awaitStateOn(ToolrunClient client, String id, String... states) {
    List<String> wanted = List.of(states);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                wanted.contains(client.get("/v1/instances/" + id).json().get("state").asString()));
    return client.get("/v1/instances/" + id).json().get("state").asString();
  }

  private static void assertCancelled(ToolrunClient client, String id) {
    ToolrunClient.Answer cancelled = client.post("/v1/instances/" + id + "/cancel", "");
    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
  }

  private static void assertOutcomeKept(ToolrunClient client, String id, String outcome) {
    assertThat(awaitStateOn(client, id, "SUCCEEDED", "FAILED", "TIMED_OUT")).isEqualTo(outcome);
    ToolrunClient.Answer refused = client.post("/v1/instances/" + id + "/cancel", "");
    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.json().get("code").asString()).isEqualTo("ILLEGAL_TRANSITION");
    assertThat(refused.json().get("message").asString()).contains(outcome);
    assertThat(client.get("/v1/instances/" + id).json().get("state").asString()).isEqualTo(outcome);
  }

  /** As {@code kubectl delete toolrun <id>}: the record is the ToolRun named by the id. */
  private static void deleteRecord(LocalCluster in, String id) {
    in.admin()
        .genericKubernetesResources("toolrun.dev/v1alpha1", "ToolRun")
        .inNamespace(in.namespace())
        .withName(id)
        .delete();
  }

  @Test
  void anImageThatDoesNotExistFailsWithTheImagePullReason() {
    register(
        "missing-image",
        """
        {"mode": "TASK", "image": {"name": "kube-local.test/does-not-exist:1"}}\
        """);

    JsonNode done =
        awaitState(launch("{\"tool\": \"missing-image\"}"), "SUCCEEDED", "FAILED", "TIMED_OUT");

    assertThat(done.get("state").asString()).isEqualTo("FAILED");
    assertThat(done.get("failure").get("kind").asString()).isEqualTo("IMAGE_PULL_FAILED");
    assertThat(done.get("failure").get("message").asString())
        .contains("kube-local.test/does-not-exist:1");
  }

  @Test
  void aSleepPastItsTimeoutTimesOut() {
    register(
        "sleeper",
        """
        {"mode": "TASK", "timeoutSeconds": 5, "image": {"name": "kube-local.test/busybox:1", "command": ["sleep", "600"]}}\
        """);

    JsonNode done =
        awaitState(launch("{\"tool\": \"sleeper\"}"), "SUCCEEDED", "FAILED", "TIMED_OUT");

    assertThat(done.get("state").asString()).isEqualTo("TIMED_OUT");
    assertThat(done.get("failure").get("kind").asString()).isEqualTo("DEADLINE_EXCEEDED");
  }

  @Test
  void aRunningToolCanBeCancelledAndItsJobGoes() {
    register(
        "long-runner",
        """
        {"mode": "TASK", "cleanupPolicy": "NEVER", "image": {"name": "kube-local.test/busybox:1", "command": ["sh", "-c", "echo started; sleep 600"]}}\
        """);
    String id = launch("{\"tool\": \"long-runner\"}");
    awaitState(id, "RUNNING");

    ToolrunClient.Answer cancelled = api.post("/v1/instances/" + id + "/cancel", "");

    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
    await().atMost(PATIENCE).until(() -> !jobExists(id) && !configMapExists(id));
    assertThat(api.get("/v1/instances/" + id).json().get("state").asString())
        .as("never FAILED")
        .isEqualTo("CANCELLED");
    assertThat(api.post("/v1/instances/" + id + "/cancel", "").status())
        .as("cancel is idempotent")
        .isEqualTo(200);
  }

  @ParameterizedTest(name = "{0} after {1}: objects kept={2}")
  @CsvSource({
    "ALWAYS, success, false",
    "ALWAYS, failure, false",
    "ON_SUCCESS, success, false",
    "ON_SUCCESS, failure, true",
    "ON_FAILURE, success, true",
    "ON_FAILURE, failure, false",
    "NEVER, success, true",
    "NEVER, failure, true"
  })
  void theCleanupPolicyDecidesWhatIsKept(String policy, String outcome, boolean kept) {
    String tool = ("cleanup-" + policy + "-" + outcome).toLowerCase().replace('_', '-');
    register(
        tool,
        """
        {"mode": "TASK", "cleanupPolicy": "%s", "script": {"language": "shell", "source": "echo done\\nexit %d\\n"}}\
        """
            .formatted(policy, outcome.equals("success") ? 0 : 1));

    String id = launch("{\"tool\": \"" + tool + "\"}");
    awaitState(id, "SUCCEEDED", "FAILED");
    logs(id);

    if (kept) {
      assertThat(jobExists(id)).isTrue();
      assertThat(configMapExists(id)).isTrue();
    } else {
      await().atMost(PATIENCE).until(() -> !jobExists(id) && !configMapExists(id));
    }
  }

  @Test
  void resourcesNodeSelectorAndParallelismReachTheJob() {
    register(
        "fan-out",
        """
        {"mode": "TASK", "cleanupPolicy": "NEVER", "parallelism": 3, "completions": 3,
         "nodeSelector": {"kubernetes.io/hostname": "localhost"},
         "resources": {"cpu": {"request": "50m", "limit": "500m"}, "memory": {"request": "16Mi", "limit": "64Mi"}},
         "script": {"language": "shell", "source": "echo part of a fan-out\\n"}}\
        """);

    String id = launch("{\"tool\": \"fan-out\"}");
    JsonNode done = awaitState(id, "SUCCEEDED", "FAILED", "TIMED_OUT");

    assertThat(done.get("state").asString()).isEqualTo("SUCCEEDED");
    Job job =
        cluster
            .admin()
            .batch()
            .v1()
            .jobs()
            .inNamespace(cluster.namespace())
            .withName(objectName(id))
            .get();
    assertThat(job.getSpec().getParallelism()).isEqualTo(3);
    assertThat(job.getSpec().getCompletions()).isEqualTo(3);
    assertThat(job.getStatus().getSucceeded()).isEqualTo(3);
    var pod = job.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("kubernetes.io/hostname", "localhost");
    assertThat(pod.getContainers().get(0).getResources().getLimits().get("memory").toString())
        .isEqualTo("64Mi");
    assertThat(pod.getContainers().get(0).getResources().getRequests().get("cpu").toString())
        .isEqualTo("50m");
    List<String> lines = new ArrayList<>(List.of(logs(id).split("\n")));
    lines.removeIf(l -> !l.contains("part of a fan-out"));
    assertThat(lines).as("one line from each of the three pods").hasSize(3);
    assertThat(lines.stream().map(l -> l.substring(0, l.indexOf(']') + 1)).distinct()).hasSize(3);
  }

  @Test
  void aLaunchJustUnderTheBodyLimitIsRefusedAtOnceNotAcceptedAndStuck() {
    register(
        "keeper",
        "{\"mode\": \"TASK\", \"script\": {\"language\": \"shell\", \"source\": \"true\"}}");
    int before = api.get("/v1/instances?limit=500").json().get("items").size();
    // About 1,048,400 bytes: under the 1 MiB body limit, over what a record keeps for a launch and
    // what the ConfigMap that carries its parameters to the workload may hold.
    String text = "x".repeat(1_048_576 - 200);

    ToolrunClient.Answer refused =
        api.post(
            "/v1/instances",
            "{\"tool\": \"keeper\", \"parameters\": {\"text\": \"" + text + "\"}}");

    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).contains("1 MiB");
    assertThat(api.get("/v1/instances?limit=500").json().get("items").size()).isEqualTo(before);
    // Nothing holds a slot: a launch right after it runs.
    String id = launch("{\"tool\": \"keeper\"}");
    assertThat(awaitState(id, "SUCCEEDED", "FAILED").get("state").asString())
        .isEqualTo("SUCCEEDED");
  }

  @Test
  void theRunnerIsGrantedNoVerbItDoesNotNeed() {
    RbacProbe runner = new RbacProbe(cluster.runner(), cluster.namespace());

    assertThat(runner.allowed("create", "batch", "jobs")).isTrue();
    assertThat(runner.allowed("create", "", "secrets")).isTrue();
    assertThat(runner.allowed("get", "", "pods/log")).isTrue();
    assertThat(runner.allowed("get", "", "secrets")).as("read secrets back").isFalse();
    assertThat(runner.allowed("list", "", "secrets")).as("list secrets").isFalse();
    // ConfigMaps are a run's inputs only, created once and owned by its Job: the records are
    // custom resources, and reading, changing or deleting other ConfigMaps of the namespace is
    // an upgrade's (deploy/upgrade/) or the ConfigMap records' (deploy/configmap-records/).
    assertThat(runner.allowed("create", "", "configmaps")).as("create inputs").isTrue();
    for (String verb : List.of("get", "list", "watch", "update", "patch", "delete")) {
      assertThat(runner.allowed(verb, "", "configmaps")).as(verb + " configmaps").isFalse();
    }
    assertThat(runner.allowed("delete", "", "secrets"))
        .as("delete secrets (their Job owns them)")
        .isFalse();
    assertThat(runner.allowed("create", "", "pods")).as("create pods directly").isFalse();
    // A warm pool's claim execs into its pool pod (README, "Warm pools"), and relabels it.
    assertThat(runner.allowed("create", "", "pods/exec")).as("exec into pool pods").isTrue();
    assertThat(runner.allowed("patch", "", "pods")).as("relabel a claimed pod").isTrue();
    assertThat(runner.allowed("get", "", "pods")).as("read pods one by one").isFalse();
    assertThat(runner.allowed("update", "", "pods")).as("replace pods").isFalse();
    assertThat(runner.allowed("create", "", "pods/attach")).as("attach to pods").isFalse();
    assertThat(runner.allowed("update", "batch", "jobs")).isFalse();
    assertThat(runner.allowed("create", "rbac.authorization.k8s.io", "roles")).isFalse();
    // The resources record store (kubernetes.records=resources): records are created, watched
    // and deleted, and what toolrun observes is merged into their status; a version or a launch,
    // once written, is never changed, and the CRDs are the cluster administrator's.
    for (String records : List.of("tools", "toolruns")) {
      assertThat(runner.allowed("create", "toolrun.dev", records)).as("create " + records).isTrue();
      assertThat(runner.allowed("watch", "toolrun.dev", records)).as("watch " + records).isTrue();
      assertThat(runner.allowed("delete", "toolrun.dev", records)).as("delete " + records).isTrue();
      assertThat(runner.allowed("patch", "toolrun.dev", records + "/status")).isTrue();
      assertThat(runner.allowed("update", "toolrun.dev", records))
          .as("update " + records)
          .isFalse();
    }
    assertThat(runner.allowed("patch", "toolrun.dev", "tools")).as("patch tools").isFalse();
    // A ToolRun's object, not only its status: a ToolRun written with kubectl is adopted by a
    // patch, and toolrun's finalizer comes off by one (README, "With kubectl").
    assertThat(runner.allowed("patch", "toolrun.dev", "toolruns")).as("patch toolruns").isTrue();
    assertThat(runner.allowed("create", "apiextensions.k8s.io", "customresourcedefinitions"))
        .as("install CRDs")
        .isFalse();
  }
}
