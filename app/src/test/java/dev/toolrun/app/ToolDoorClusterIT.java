package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.LocalCluster;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The kubectl door to the catalog on the local cluster: a Tool applied with {@code kubectl apply
 * -f} (the very file of examples/kubectl/) is registered as {@code PUT /v1/tools/{name}} would be,
 * and answered on its status. toolrun runs as the unprivileged runner user with only the shipped
 * Role, its records kept as custom resources; the Tools are applied by the cluster administrator,
 * as a platform team would apply them (toolrun's Role lets toolrun neither get nor patch a Tool,
 * which {@code kubectl apply} needs).
 */
class ToolDoorClusterIT {
  private static final String TOKEN = "tool-door-it-token";
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  private static final ResourceDefinitionContext TOOLS =
      new ResourceDefinitionContext.Builder()
          .withGroup("toolrun.dev")
          .withVersion("v1alpha1")
          .withKind("Tool")
          .withPlural("tools")
          .withNamespaced(true)
          .build();

  private static LocalCluster cluster;
  private static ToolrunServer server;
  private static ToolrunClient api;

  @BeforeAll
  static void start() {
    LocalCluster.installCrds();
    cluster = LocalCluster.start();
    server = ClusterServers.on(cluster, TOKEN, Map.of("TOOLRUN_KUBERNETES_RECORDS", "resources"));
    api = new ToolrunClient(server.start(), TOKEN);
  }

  @AfterAll
  static void stop() {
    server.stop();
    cluster.close();
  }

  @Test
  void theExampleToolAppliedWithKubectlIsRegisteredAsAPutWouldBe() throws IOException {
    Path example = repositoryRoot().resolve("examples/kubectl/greeter-tool.yaml");

    Kubectl applied = kubectl("apply", "-f", example.toString());

    assertThat(applied.exit()).as(applied.output()).isZero();
    Map<String, Object> status = awaitAnswer("greeter", 1);
    assertThat(status).containsEntry("version", 1).containsEntry("violations", List.of());
    assertThat(ready(status)).containsEntry("status", "True").containsEntry("reason", "Registered");
    JsonNode tool = api.get("/v1/tools/greeter").json();
    assertThat(tool.get("version").asInt()).isEqualTo(1);
    assertThat(tool.get("description").asString()).isEqualTo("Greets someone");
    assertThat(tool.get("spec").get("script").get("language").asString()).isEqualTo("python");
    assertThat(tool.get("spec").get("inputSchema").get("required").get(0).asString())
        .isEqualTo("name");
    assertThat(tool.get("spec").get("timeoutSeconds").asLong()).isEqualTo(60);
    // The version is an object of its own, as every registration's is.
    assertThat(tool("greeter-v1")).isPresent();
    // kubectl get reads the request's answer in the READY and VERSION columns.
    Kubectl listed = kubectl("get", "tool", "greeter", "--no-headers");
    assertThat(listed.output().trim().split("\\s+")).contains("greeter", "TASK", "1", "True");

    // The greeter runs, as one registered by a PUT would.
    ToolrunClient.Answer launched =
        api.post("/v1/instances", "{\"tool\": \"greeter\", \"parameters\": {\"name\": \"Ada\"}}");
    assertThat(launched.status()).as(launched.body()).isEqualTo(201);
    String id = launched.json().get("id").asString();
    await()
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                List.of("SUCCEEDED", "FAILED", "TIMED_OUT")
                    .contains(api.get("/v1/instances/" + id).json().get("state").asString()));
    JsonNode done = api.get("/v1/instances/" + id).json();
    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("SUCCEEDED");
    assertThat(done.get("result").get("greeting").asString()).isEqualTo("hello Ada");

    // A changed spec applied again is the next version; the first stays as it was.
    Path changed = Files.createTempFile("greeter-tool", ".yaml");
    Files.writeString(
        changed,
        Files.readString(example).replace("timeoutSeconds: 60", "timeoutSeconds: 90"),
        StandardCharsets.UTF_8);
    Kubectl reapplied = kubectl("apply", "-f", changed.toString());
    assertThat(reapplied.exit()).as(reapplied.output()).isZero();
    assertThat(awaitAnswer("greeter", 2)).containsEntry("version", 2);
    assertThat(api.get("/v1/tools/greeter").json().get("spec").get("timeoutSeconds").asLong())
        .isEqualTo(90);
    assertThat(
            api.get("/v1/tools/greeter/versions/1")
                .json()
                .get("spec")
                .get("timeoutSeconds")
                .asLong())
        .isEqualTo(60);
  }

  @Test
  void aToolBreakingTheDomainsRulesIsNotReadyWithEveryViolationAndNoVersion() throws IOException {
    Path file = Files.createTempFile("invalid-tool", ".yaml");
    Files.writeString(
        file,
        """
        apiVersion: toolrun.dev/v1alpha1
        kind: Tool
        metadata:
          name: clashing
        spec:
          mode: TASK
          image:
            name: busybox:1.36
          secretInputs: [API_TOKEN]
          inputSchema:
            type: object
            properties:
              API_TOKEN:
                type: string
          resources:
            cpu:
              limit: lots
          retryLimit: 99
        """,
        StandardCharsets.UTF_8);

    Kubectl applied = kubectl("apply", "-f", file.toString());

    assertThat(applied.exit()).as(applied.output()).isZero();
    Map<String, Object> status = awaitAnswer("clashing", 1);
    assertThat(ready(status)).containsEntry("status", "False").containsEntry("reason", "Invalid");
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> violations = (List<Map<String, Object>>) status.get("violations");
    assertThat(violations)
        .extracting(v -> v.get("field"))
        .contains("spec.resources.cpu.limit", "spec.retryLimit")
        .anySatisfy(field -> assertThat((String) field).startsWith("spec.inputSchema"));
    assertThat((String) ready(status).get("message"))
        .contains("spec.resources.cpu.limit", "spec.retryLimit", "API_TOKEN");
    assertThat(status).doesNotContainKey("version");
    assertThat(api.get("/v1/tools/clashing").status()).isEqualTo(404);
    assertThat(tool("clashing-v1")).isEmpty();
  }

  @Test
  void aToolBreakingTheSchemaIsRefusedByTheApiServer() throws IOException {
    Path file = Files.createTempFile("schema-invalid-tool", ".yaml");
    Files.writeString(
        file,
        """
        apiVersion: toolrun.dev/v1alpha1
        kind: Tool
        metadata:
          name: misshapen
        spec:
          mode: BATCH
          image:
            name: busybox:1.36
          timeoutSeconds: sixty
        """,
        StandardCharsets.UTF_8);

    Kubectl applied = kubectl("apply", "-f", file.toString());
    // kubectl checks types against the schema the API server publishes before sending; without
    // that, the API server refuses the object itself, every breach named.
    Kubectl sent = kubectl("apply", "--validate=false", "-f", file.toString());

    assertThat(applied.exit()).isNotZero();
    assertThat(applied.output()).contains("spec.timeoutSeconds", "expected \"integer\"");
    assertThat(sent.exit()).isNotZero();
    assertThat(sent.output())
        .contains("is invalid")
        .contains("spec.mode: Unsupported value: \"BATCH\"")
        .contains("spec.timeoutSeconds");
    assertThat(tool("misshapen")).isEmpty();
  }

  /** The request's status once toolrun answered its generation {@code generation}. */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> awaitAnswer(String name, long generation) {
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                tool(name)
                    .map(t -> (Map<String, Object>) t.getAdditionalProperties().get("status"))
                    .map(s -> s.get("observedGeneration"))
                    .filter(g -> ((Number) g).longValue() >= generation)
                    .isPresent());
    return (Map<String, Object>) tool(name).orElseThrow().getAdditionalProperties().get("status");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> ready(Map<String, Object> status) {
    return ((List<Map<String, Object>>) status.get("conditions"))
        .stream().filter(c -> "Ready".equals(c.get("type"))).findFirst().orElseThrow();
  }

  private static Optional<GenericKubernetesResource> tool(String name) {
    return Optional.ofNullable(
        cluster
            .admin()
            .genericKubernetesResources(TOOLS)
            .inNamespace(cluster.namespace())
            .withName(name)
            .get());
  }

  private record Kubectl(int exit, String output) {}

  /** Runs kubectl as the cluster administrator in the test's namespace. */
  private static Kubectl kubectl(String... args) throws IOException {
    List<String> command =
        new java.util.ArrayList<>(
            List.of("kubectl", "--context", LocalCluster.ADMIN_CONTEXT, "-n", cluster.namespace()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    // Read to the end first: kubectl's output is small, and it exits once it is written.
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("kubectl did not finish: " + command);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return new Kubectl(process.exitValue(), output);
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (!Files.exists(dir.resolve("examples/kubectl/greeter-tool.yaml"))) {
      dir = dir.getParent();
    }
    return dir;
  }
}
