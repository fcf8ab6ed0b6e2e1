package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.LocalCluster;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The kubectl door on the local cluster: the real app with ToolRun records, as the unprivileged
 * runner with only the shipped Role, and kubectl as the same runner. A ToolRun created from {@code
 * examples/kubectl/greeter-run.yaml} runs the README's greeter (registered over REST) and is the
 * same instance over REST; {@code kubectl delete} of a running one ends it CANCELLED and leaves
 * nothing behind. A ToolRun whose secret input comes from a Secret the administrator made ({@code
 * examples/kubectl/token-check-*.yaml}) runs with its value, which toolrun never reads or writes
 * anywhere, and leaves the Secret in place; one naming a missing Secret ends FAILED saying so.
 */
class ToolRunDoorClusterIT {
  private static final String TOKEN = "door-it-token";
  private static final Duration PATIENCE = Duration.ofSeconds(120);

  private static LocalCluster cluster;
  private static ToolrunServer server;
  private static ToolrunClient api;
  private static int port;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start();
    LocalCluster.installCrds();
    server = ClusterServers.on(cluster, TOKEN, Map.of("TOOLRUN_KUBERNETES_RECORDS", "resources"));
    port = server.start();
    api = new ToolrunClient(port, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.stop();
    cluster.close();
  }

  @Test
  void aToolRunCreatedWithKubectlRunsTheGreeterAndIsTheSameInstanceOverRest() throws IOException {
    // The README's greeter, registered over REST.
    ToolrunClient.Answer registered =
        api.put(
            "/v1/tools/greeter",
            """
            {"description": "Greets someone",
             "spec": {"mode": "TASK", "timeoutSeconds": 60,
               "inputSchema": {"type": "object", "required": ["name"],
                 "properties": {"name": {"type": "string", "minLength": 1}}},
               "script": {"language": "python", "source":
               "import json, os\\nparams = json.load(open(os.environ[\\"TOOLRUN_PARAMETERS_FILE\\"]))\\nprint(\\"hello\\", params[\\"name\\"])\\nopen(os.environ[\\"TOOLRUN_RESULT_FILE\\"], \\"w\\").write(json.dumps({\\"greeting\\": \\"hello \\" + params[\\"name\\"]}))\\n"}}}
            """);
    assertThat(registered.status()).as(registered.body()).isIn(200, 201);

    kubectl(
        "create", "-f", repositoryRoot().resolve("examples/kubectl/greeter-run.yaml").toString());

    await()
        .atMost(PATIENCE)
        .until(
            () -> field("greet-ada", ".status.state"),
            state -> List.of("SUCCEEDED", "FAILED", "TIMED_OUT").contains(state));
    String table = kubectl("get", "toolruns");
    assertThat(table).containsPattern("greet-ada\\s+greeter\\s+SUCCEEDED\\s+0\\s");
    assertThat(field("greet-ada", ".status.result")).contains("hello Ada");

    String id = field("greet-ada", ".metadata.labels.toolrun\\.dev/instance");
    JsonNode instance = api.get("/v1/instances/" + id).json();
    assertThat(instance.get("id").asString()).isEqualTo(id);
    assertThat(instance.get("tool").asString()).isEqualTo("greeter");
    assertThat(instance.get("state").asString()).isEqualTo("SUCCEEDED");
    assertThat(instance.get("result").get("greeting").asString()).isEqualTo("hello Ada");
    // One ToolRun for the run: the one written by hand is its record.
    assertThat(kubectl("get", "toolruns", "-o", "name"))
        .contains("toolrun.toolrun.dev/greet-ada")
        .doesNotContain(id);
  }

  @Test
  void kubectlDeleteOfARunningToolRunCancelsItAndLeavesNothingBehind() throws Exception {
    ToolrunClient.Answer registered =
        api.put(
            "/v1/tools/sleeper",
            """
            {"description": "sleeps",
             "spec": {"mode": "TASK", "script": {"language": "shell", "source": "echo sleeping\\nsleep 300\\n"}}}
            """);
    assertThat(registered.status()).as(registered.body()).isIn(200, 201);
    List<String> events = new CopyOnWriteArrayList<>();
    CompletableFuture<?> watch = watch("sleeper", events);

    kubectlWithInput(
        """
        apiVersion: toolrun.dev/v1alpha1
        kind: ToolRun
        metadata:
          name: sleep-1
        spec:
          tool: sleeper
        """,
        "create",
        "-f",
        "-");
    String id =
        await()
            .atMost(PATIENCE)
            .until(
                () -> field("sleep-1", ".metadata.labels.toolrun\\.dev/instance"),
                label -> !label.isEmpty());
    await()
        .atMost(PATIENCE)
        .until(
            () -> api.get("/v1/instances/" + id).json().get("state").asString().equals("RUNNING"));

    kubectl("delete", "toolrun", "sleep-1", "--wait=false");

    // The REST watch saw it end CANCELLED, through the core's cancel.
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                events.stream()
                    .anyMatch(
                        e ->
                            e.contains("\"id\":\"" + id + "\"")
                                && e.contains("\"state\":\"CANCELLED\"")));
    watch.cancel(true);
    String selector = "toolrun.dev/instance=" + id;
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(kubectl("get", "toolruns", "-o", "name"))
                  .as("ToolRuns")
                  .doesNotContain("sleep-1")
                  .doesNotContain(id);
              for (String kind : List.of("jobs", "pods")) {
                assertThat(kubectl("get", kind, "-l", selector, "-o", "name")).as(kind).isEmpty();
              }
              // ConfigMaps and Secrets the runner may not list; the administrator looks.
              assertThat(
                      cluster
                          .admin()
                          .configMaps()
                          .inNamespace(cluster.namespace())
                          .withLabel("toolrun.dev/instance", id)
                          .list()
                          .getItems())
                  .as("configmaps")
                  .isEmpty();
              assertThat(
                      cluster
                          .admin()
                          .secrets()
                          .inNamespace(cluster.namespace())
                          .withLabel("toolrun.dev/instance", id)
                          .list()
                          .getItems())
                  .as("Secrets")
                  .isEmpty();
            });
    assertThat(api.get("/v1/instances/" + id).status()).isEqualTo(404);
  }

  @Test
  void aToolRunWithASecretRefRunsWithTheValueOfTheUsersSecretWhichToolrunNeverWrites()
      throws Exception {
    String token = "tok-" + java.util.UUID.randomUUID();
    createTokenCheckTool();
    cluster
        .admin()
        .secrets()
        .inNamespace(cluster.namespace())
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("token-check-secrets")
                .endMetadata()
                .withStringData(Map.of("API_TOKEN", token))
                .build())
        .create();

    kubectl(
        "create",
        "-f",
        repositoryRoot().resolve("examples/kubectl/token-check-run.yaml").toString());

    String id =
        await()
            .atMost(PATIENCE)
            .until(
                () -> field("check-token", ".metadata.labels.toolrun\\.dev/instance"),
                label -> !label.isEmpty());
    await()
        .atMost(PATIENCE)
        .until(
            () -> field("check-token", ".status.state"),
            state -> List.of("SUCCEEDED", "FAILED", "TIMED_OUT").contains(state));
    JsonNode instance = api.get("/v1/instances/" + id).json();
    assertThat(instance.get("state").asString()).as(instance.toString()).isEqualTo("SUCCEEDED");
    // The tool saw the value: its length and the start of its hash, not the value, prove it.
    assertThat(instance.get("result").get("length").asInt()).isEqualTo(token.length());
    assertThat(instance.get("result").get("sha256Prefix").asString())
        .isEqualTo(sha256(token).substring(0, 12));
    assertThat(field("check-token", ".spec.secretRef.name")).isEqualTo("token-check-secrets");
    assertThat(instance.toString()).contains("token-check-secrets").doesNotContain(token);
    // Nothing toolrun wrote holds the value: the Job names the Secret, the ToolRun only its name.
    String job = kubectl("get", "jobs", "-l", "toolrun.dev/instance=" + id, "-o", "yaml");
    assertThat(job).contains("name: token-check-secrets").doesNotContain(token);
    assertThat(kubectl("get", "toolruns", "-o", "yaml")).doesNotContain(token);
    assertThat(
            cluster
                .admin()
                .secrets()
                .inNamespace(cluster.namespace())
                .withLabel("toolrun.dev/instance", id)
                .list()
                .getItems())
        .as("Secrets of the run")
        .isEmpty();

    kubectl("delete", "toolrun", "check-token");

    await()
        .atMost(PATIENCE)
        .until(
            () -> kubectl("get", "toolruns", "-o", "name"),
            names -> !names.contains("check-token"));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                kubectl("get", "jobs", "-l", "toolrun.dev/instance=" + id, "-o", "name").isEmpty());
    // The user's Secret is the user's: it is not owned by the run and outlives it.
    var secret =
        cluster
            .admin()
            .secrets()
            .inNamespace(cluster.namespace())
            .withName("token-check-secrets")
            .get();
    assertThat(secret).isNotNull();
    assertThat(secret.getMetadata().getOwnerReferences()).isNullOrEmpty();
  }

  @Test
  void aToolRunNamingAMissingSecretEndsFailedNamingIt() throws Exception {
    createTokenCheckTool();

    kubectlWithInput(
        """
        apiVersion: toolrun.dev/v1alpha1
        kind: ToolRun
        metadata:
          name: check-missing
        spec:
          tool: token-check
          secretRef:
            name: no-such-secret
        """,
        "create",
        "-f",
        "-");

    String id =
        await()
            .atMost(PATIENCE)
            .until(
                () -> field("check-missing", ".metadata.labels.toolrun\\.dev/instance"),
                label -> !label.isEmpty());
    // The kubelet cannot create the container; the run fails once the grace for that is over.
    await()
        .atMost(PATIENCE)
        .until(
            () -> field("check-missing", ".status.state"),
            state -> List.of("SUCCEEDED", "FAILED", "TIMED_OUT").contains(state));
    JsonNode instance = api.get("/v1/instances/" + id).json();
    assertThat(instance.get("state").asString()).as(instance.toString()).isEqualTo("FAILED");
    assertThat(instance.get("failure").get("message").asString())
        .contains("secret \"no-such-secret\" not found");
  }

  /**
   * The tool of examples/kubectl/token-check-tool.yaml, created with kubectl once; its Jobs are
   * kept after they end (cleanupPolicy NEVER), so the test can read what toolrun wrote in them.
   */
  private static synchronized void createTokenCheckTool() throws IOException {
    if (api.get("/v1/tools/token-check").status() == 200) {
      return;
    }
    String example =
        Files.readString(repositoryRoot().resolve("examples/kubectl/token-check-tool.yaml"));
    assertThat(example).contains("  mode: TASK\n");
    kubectlWithInput(
        example.replace("  mode: TASK\n", "  mode: TASK\n  cleanupPolicy: NEVER\n"),
        "create",
        "-f",
        "-");
    await().atMost(PATIENCE).until(() -> api.get("/v1/tools/token-check").status() == 200);
  }

  private static String sha256(String text) throws java.security.NoSuchAlgorithmException {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * Follows REST's event stream of {@code tool}'s instances, adding each data line to {@code
   * events}.
   */
  private static CompletableFuture<?> watch(String tool, List<String> events) {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/v1/instances?tool=" + tool))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Accept", "text/event-stream")
            .build();
    return HttpClient.newHttpClient()
        .sendAsync(request, HttpResponse.BodyHandlers.ofLines())
        .thenAccept(
            response ->
                response.body().filter(line -> line.startsWith("data:")).forEach(events::add));
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("examples/kubectl"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("cannot find examples/kubectl above the working directory");
    }
    return dir;
  }

  /**
   * A field of the ToolRun {@code name}, as {@code kubectl get toolruns} lists it: the runner's
   * Role lets it list and watch ToolRuns, not get one by name.
   */
  private static String field(String name, String path) throws IOException {
    return kubectl(
        "get",
        "toolruns",
        "-o",
        "jsonpath={.items[?(@.metadata.name==\"" + name + "\")]" + path + "}");
  }

  /** kubectl as the runner, in the test's namespace; its output, trimmed. */
  private static String kubectl(String... args) throws IOException {
    return kubectlWithInput(null, args);
  }

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
