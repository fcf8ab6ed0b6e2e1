package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.LocalCluster;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The install an operator applies ({@code deploy/} through {@code overlays/kube-local}) on the
 * local cluster, as the cluster administrator, into a namespace of its own: toolrun runs in its pod
 * from the image {@code mvn -Pimage} built and {@code kube-local load} imported (.ci/run does both
 * before the cluster suite), with its ServiceAccount's token as its only credential, and the runs
 * it starts are Jobs it creates itself. Reached through a port-forward to its pod, since pod IPs
 * and Services do not route from the host; the Service's Endpoints, which the endpoints controller
 * keeps without kube-proxy, show whom it would route to.
 */
class InClusterInstallClusterIT {
  private static final Duration PATIENCE = Duration.ofSeconds(120);
  private static final String TOKEN = "in-cluster-it-" + HexFormat.of().toHexDigits(42L);
  private static final String GREETER =
      """
      {"description": "Greets someone", "spec": {"mode": "TASK", "timeoutSeconds": 60,
       "script": {"language": "python", "source":
        "import json, os\\nparams = json.load(open(os.environ[\\"TOOLRUN_PARAMETERS_FILE\\"]))\\nprint(\\"hello\\", params[\\"name\\"])\\nopen(os.environ[\\"TOOLRUN_RESULT_FILE\\"], \\"w\\").write(json.dumps({\\"greeting\\": \\"hello \\" + params[\\"name\\"]}))\\n"}}}
      """;

  private static KubernetesClient admin;
  private static String namespace;
  private static Path overlay;
  private static LocalPortForward forward;
  private static ToolrunClient api;
  private static Pod toolrunPod;

  @BeforeAll
  static void install() throws IOException {
    admin =
        new KubernetesClientBuilder()
            .withConfig(Config.autoConfigure(LocalCluster.ADMIN_CONTEXT))
            .build();
    namespace =
        "toolrun-it-install-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    overlay = writeOverlay();
    // The cluster administrator's step of an install (docs/operations.md): the CRDs first.
    LocalCluster.installCrds();
    long applied = System.nanoTime();
    kubectl("apply", "-k", overlay.toString());

    await("toolrun's Deployment ready in " + namespace)
        .atMost(PATIENCE)
        .pollInterval(Duration.ofSeconds(1))
        .until(InClusterInstallClusterIT::deploymentReady);
    // A figure for docs/benchmarks.md, not a target: printed, never asserted.
    System.out.printf(
        "in-cluster install: apply to ready in %d ms%n",
        Duration.ofNanos(System.nanoTime() - applied).toMillis());
    toolrunPod =
        admin
            .pods()
            .inNamespace(namespace)
            .withLabel("app.kubernetes.io/name", "toolrun")
            .list()
            .getItems()
            .stream()
            .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
            .findFirst()
            .orElseThrow();
    forward =
        admin
            .pods()
            .inNamespace(namespace)
            .withName(toolrunPod.getMetadata().getName())
            .portForward(httpPort(toolrunPod));
    api = new ToolrunClient(forward.getLocalPort(), TOKEN);
  }

  @AfterAll
  static void uninstall() throws IOException {
    if (forward != null) {
      forward.close();
    }
    if (admin != null) {
      admin.namespaces().withName(namespace).delete();
      admin.close();
    }
  }

  @Test
  void theInstalledPodRunsTheImageAsItsServiceAccountWithoutAKubeconfig() {
    Container container = toolrunPod.getSpec().getContainers().get(0);
    assertThat(container.getImage()).startsWith("kube-local.test/toolrun:");
    assertThat(toolrunPod.getSpec().getServiceAccountName()).isEqualTo("toolrun");
    assertThat(toolrunPod.getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getEnv())
        .as("no kubeconfig and no context: the in-cluster ServiceAccount is the only credential")
        .noneMatch(e -> e.getName().startsWith("TOOLRUN_KUBERNETES_KUBECONFIG"))
        .noneMatch(e -> e.getName().equals("KUBECONFIG"))
        .noneMatch(e -> e.getName().equals("TOOLRUN_KUBERNETES_CONTEXT"));
    assertThat(api.get("/health/ready").status()).isEqualTo(200);
    assertThat(api.get("/v1/tools").status()).as("the token comes from the Secret").isEqualTo(200);
    assertThat(new ToolrunClient(forward.getLocalPort(), "wrong").get("/v1/tools").status())
        .isEqualTo(401);
  }

  @Test
  void theLeaderMarksItsPodAndTheServiceRoutesToThatPod() {
    String pod = toolrunPod.getMetadata().getName();
    await("pod " + pod + " marked toolrun.dev/role=leader")
        .atMost(PATIENCE)
        .until(() -> "leader".equals(role(pod)));
    ToolrunClient.Answer ready = api.get("/health/ready");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().get("role").asString()).isEqualTo("leader");

    // The endpoints controller fills the Service's Endpoints from its selector (the name and the
    // role label) and readiness, with or without kube-proxy to route them.
    await("the Service toolrun's Endpoints hold pod " + pod)
        .atMost(PATIENCE)
        .untilAsserted(() -> assertThat(endpointPods()).containsExactly(pod));
    assertThat(admin.services().inNamespace(namespace).withName("toolrun").get())
        .extracting(s -> s.getSpec().getSelector())
        .isEqualTo(
            java.util.Map.of("app.kubernetes.io/name", "toolrun", "toolrun.dev/role", "leader"));
  }

  private static String role(String pod) {
    Pod now = admin.pods().inNamespace(namespace).withName(pod).get();
    return now == null || now.getMetadata().getLabels() == null
        ? null
        : now.getMetadata().getLabels().get("toolrun.dev/role");
  }

  /** The pods the Service toolrun's Endpoints name as ready addresses. */
  private static List<String> endpointPods() {
    Endpoints endpoints = admin.endpoints().inNamespace(namespace).withName("toolrun").get();
    if (endpoints == null || endpoints.getSubsets() == null) {
      return List.of();
    }
    return endpoints.getSubsets().stream()
        .flatMap(subset -> subset.getAddresses().stream())
        .map(address -> address.getTargetRef().getName())
        .toList();
  }

  @Test
  void theReadmeGreeterRunsAsAJobTheInClusterToolrunCreates() {
    ToolrunClient.Answer registered = api.put("/v1/tools/greeter", GREETER);
    assertThat(registered.status()).as(registered.body()).isIn(200, 201);

    String id = launch("{\"tool\": \"greeter\", \"parameters\": {\"name\": \"Ada\"}}");
    JsonNode done = awaitEnded(id);

    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("result").get("greeting").asString()).isEqualTo("hello Ada");
    await()
        .atMost(PATIENCE)
        .until(() -> api.get("/v1/instances/" + id + "/logs").json().get("complete").asBoolean());
    assertThat(api.get("/v1/instances/" + id + "/logs").body()).contains("hello Ada");
  }

  @Test
  void aLongRunningToolIsCancelledAndItsJobGoes() {
    ToolrunClient.Answer registered =
        api.put(
            "/v1/tools/sleeper",
            """
            {"description": "sleeps", "spec": {"mode": "TASK", "timeoutSeconds": 600,
             "script": {"language": "shell", "source": "echo started; sleep 600"}}}
            """);
    assertThat(registered.status()).as(registered.body()).isIn(200, 201);
    String id = launch("{\"tool\": \"sleeper\"}");
    await().atMost(PATIENCE).until(() -> state(id).equals("RUNNING"));
    assertThat(jobExists(id)).as("the in-cluster toolrun created the Job").isTrue();

    ToolrunClient.Answer cancelled = api.post("/v1/instances/" + id + "/cancel", "");

    assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
    assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
    await().atMost(PATIENCE).until(() -> !jobExists(id));
    assertThat(state(id)).isEqualTo("CANCELLED");
  }

  @Test
  void theReadmeServiceAnswersARequestThroughTheInClusterToolrunAndStops() {
    ToolrunClient.Answer registered =
        api.put(
            "/v1/tools/hello-service",
            """
            {"description": "Answers every path", "spec": {"mode": "SERVICE",
             "service": {"port": 8000, "healthPath": "/health", "healthIntervalMs": 500},
             "script": {"language": "python", "source":
              "import http.server\\nclass H(http.server.BaseHTTPRequestHandler):\\n    def do_GET(self):\\n        body = (\\"hello from \\" + self.path).encode()\\n        self.send_response(200)\\n        self.send_header(\\"Content-Length\\", str(len(body)))\\n        self.end_headers()\\n        self.wfile.write(body)\\n    do_POST = do_GET\\nhttp.server.HTTPServer((\\"\\", 8000), H).serve_forever()\\n"}}}
            """);
    assertThat(registered.status()).as(registered.body()).isIn(200, 201);
    String id = launch("{\"tool\": \"hello-service\"}");
    await().atMost(PATIENCE).until(() -> state(id).equals("SERVING"));

    // Sent by the in-cluster toolrun, with its ServiceAccount, through the API server's pod proxy.
    ToolrunClient.Answer answer =
        api.post("/v1/instances/" + id + "/requests", "{\"method\": \"GET\", \"path\": \"/hi\"}");

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().get("status").asInt()).isEqualTo(200);
    assertThat(answer.json().get("body").asString()).isEqualTo("hello from /hi");
    ToolrunClient.Answer stopped = api.post("/v1/instances/" + id + "/stop", "");
    assertThat(stopped.status()).as(stopped.body()).isEqualTo(200);
    await().atMost(PATIENCE).until(() -> state(id).equals("STOPPED"));
  }

  private static String launch(String body) {
    ToolrunClient.Answer answer = api.post("/v1/instances", body);
    assertThat(answer.status()).as(answer.body()).isEqualTo(201);
    return answer.json().get("id").asString();
  }

  private static String state(String id) {
    return api.get("/v1/instances/" + id).json().get("state").asString();
  }

  private static JsonNode awaitEnded(String id) {
    List<String> ended = List.of("SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED");
    await().atMost(PATIENCE).until(() -> ended.contains(state(id)));
    return api.get("/v1/instances/" + id).json();
  }

  private static boolean jobExists(String id) {
    return admin.batch().v1().jobs().inNamespace(namespace).withName("toolrun-" + id).get() != null;
  }

  private static boolean deploymentReady() {
    Deployment deployment =
        admin.apps().deployments().inNamespace(namespace).withName("toolrun").get();
    Integer ready = deployment == null ? null : deployment.getStatus().getReadyReplicas();
    return ready != null && ready == 1;
  }

  /** The container port named "http": 8080 in deploy/, another where an overlay moves it. */
  private static int httpPort(Pod pod) {
    return pod.getSpec().getContainers().get(0).getPorts().stream()
        .filter(p -> "http".equals(p.getName()))
        .findFirst()
        .orElseThrow()
        .getContainerPort();
  }

  /**
   * An overlay of overlays/kube-local into this test's namespace, with the token as a Secret: what
   * an operator's own overlay would add. Kustomize moves every object but the RoleBinding's
   * subject, which names the ServiceAccount's namespace by value.
   */
  private static Path writeOverlay() throws IOException {
    Path root = repositoryRoot();
    Path dir = Path.of("target", "install-it", namespace).toAbsolutePath();
    Files.createDirectories(dir);
    String base = dir.relativize(root.resolve("overlays/kube-local")).toString();
    Files.writeString(
        dir.resolve("kustomization.yaml"),
        """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        namespace: %1$s
        resources:
          - %2$s
        secretGenerator:
          - name: toolrun-auth
            literals: ["token=%3$s"]
            options: {disableNameSuffixHash: true}
        patches:
          - target: {kind: RoleBinding, name: toolrun}
            patch: |-
              - op: replace
                path: /subjects/0/namespace
                value: %1$s
        """
            .formatted(namespace, base, TOKEN),
        StandardCharsets.UTF_8);
    return dir;
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve("overlays/kube-local"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException(
          "cannot find overlays/kube-local above the working directory");
    }
    return dir;
  }

  /** kubectl as the cluster administrator, as an operator applies the install. */
  private static void kubectl(String... args) throws IOException {
    List<String> command =
        new java.util.ArrayList<>(List.of("kubectl", "--context", LocalCluster.ADMIN_CONTEXT));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      boolean exited = process.waitFor(2, TimeUnit.MINUTES);
      assertThat(exited && process.exitValue() == 0)
          .as("%s:%n%s", String.join(" ", command), output)
          .isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
