package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.LocalCluster;
import dev.toolrun.adapter.mcp.RawMcpSession;
import dev.toolrun.adapter.mcp.RecordingTransport;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An MCP client calling tools of the real app on the local cluster, as the unprivileged runner
 * user: each call runs as a Kubernetes Job, and a call the client cancels leaves no Job behind.
 */
class McpClusterIT {
  private static final String TOKEN = "mcp-cluster-it-token";
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  /**
   * A cancelled run's pod goes after its grace period (30 s: the sleeper ignores SIGTERM), the
   * garbage collector's turn and the node's teardown: 80–90 s on kube-local under the cluster suite
   * (2026-12-04), where 90 s once ran out.
   */
  private static final Duration POD_REMOVAL = Duration.ofSeconds(180);

  /** The README's python greeter, with its Job kept so the test can see that one ran. */
  private static final String GREETER =
      """
      {"description": "Greets someone",
       "spec": {"mode": "TASK", "timeoutSeconds": 60, "cleanupPolicy": "NEVER",
        "script": {"language": "python", "source":
          "import json, os\\nparams = json.load(open(os.environ[\\"TOOLRUN_PARAMETERS_FILE\\"]))\\nprint(\\"hello\\", params[\\"name\\"])\\nopen(os.environ[\\"TOOLRUN_RESULT_FILE\\"], \\"w\\").write(json.dumps({\\"greeting\\": \\"hello \\" + params[\\"name\\"]}))\\n"}}}
      """;

  /** The greeter, taking a few seconds: long enough to outlast a restart of toolrun. */
  private static final String SLOW_GREETER =
      """
      {"description": "Greets someone, slowly",
       "spec": {"mode": "TASK", "timeoutSeconds": 120,
        "script": {"language": "python", "source":
          "import json, os, time\\nparams = json.load(open(os.environ[\\"TOOLRUN_PARAMETERS_FILE\\"]))\\ntime.sleep(8)\\nopen(os.environ[\\"TOOLRUN_RESULT_FILE\\"], \\"w\\").write(json.dumps({\\"greeting\\": \\"hello \\" + params[\\"name\\"]}))\\n"}}}
      """;

  private static final String SLEEPER =
      """
      {"description": "Sleeps for five minutes",
       "spec": {"mode": "TASK", "timeoutSeconds": 600,
        "script": {"language": "shell", "source": "sleep 300"}}}
      """;

  private static LocalCluster cluster;
  private static ToolrunServer server;
  private static ToolrunClient rest;
  private static int port;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start();
    startToolrun();
    register("greeter", GREETER);
    register("slow-greeter", SLOW_GREETER);
    register("sleeper", SLEEPER);
  }

  private static void startToolrun() {
    server = ClusterServers.on(cluster, TOKEN);
    port = server.start();
    rest = new ToolrunClient(port, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.stop();
    cluster.close();
  }

  private static void register(String name, String body) {
    ToolrunClient.Answer answer = rest.put("/v1/tools/" + name, body);
    assertThat(answer.status()).as(answer.body()).isIn(200, 201);
  }

  private static RecordingTransport transport() {
    return new RecordingTransport(
        HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
            .endpoint("/mcp")
            .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + TOKEN))
            .build());
  }

  private static McpSyncClient connect(RecordingTransport transport) {
    McpSyncClient client = McpClient.sync(transport).requestTimeout(PATIENCE).build();
    client.initialize();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                client.listTools().tools().stream()
                    .map(McpSchema.Tool::name)
                    .toList()
                    .containsAll(List.of("greeter", "sleeper")));
    return client;
  }

  private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
    return McpSchema.CallToolRequest.builder().name(tool).arguments(arguments).build();
  }

  private static boolean jobExists(String instanceId) {
    return cluster
            .admin()
            .batch()
            .v1()
            .jobs()
            .inNamespace(cluster.namespace())
            .withName("toolrun-" + instanceId)
            .get()
        != null;
  }

  private static String stateOf(String instanceId) {
    return rest.get("/v1/instances/" + instanceId).json().get("state").asString();
  }

  @Test
  void theGreeterCalledOverMcpRunsAsAJobAndAnswersItsResult() {
    try (McpSyncClient client = connect(transport())) {
      McpSchema.CallToolResult result = client.callTool(call("greeter", Map.of("name", "Ada")));

      assertThat(result.isError()).as(result.toString()).isFalse();
      assertThat(result.structuredContent()).isEqualTo(Map.of("greeting", "hello Ada"));
      String id = (String) result.meta().get("toolrun.dev/instanceId");
      assertThat(stateOf(id)).isEqualTo("SUCCEEDED");
      assertThat(jobExists(id)).as("the call ran as the Job toolrun-%s", id).isTrue();
    }
  }

  @Test
  void aCallTheClientCancelsEndsCancelledAndLeavesNoJob() throws Exception {
    RecordingTransport transport = transport();
    try (McpSyncClient client = connect(transport)) {
      CompletableFuture<McpSchema.CallToolResult> answer =
          CompletableFuture.supplyAsync(() -> client.callTool(call("sleeper", Map.of())));
      String id = awaitRunningSleeper();
      assertThat(jobExists(id)).isTrue();

      transport.cancel(transport.lastRequestId(McpSchema.METHOD_TOOLS_CALL));

      McpSchema.CallToolResult result = answer.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
      assertThat(result.isError()).isTrue();
      assertThat(stateOf(id)).isEqualTo("CANCELLED");
      await().atMost(PATIENCE).until(() -> !jobExists(id));
      await("the Job's pods are garbage-collected with it")
          .atMost(POD_REMOVAL)
          .until(
              () ->
                  cluster
                      .admin()
                      .pods()
                      .inNamespace(cluster.namespace())
                      .withLabel("job-name", "toolrun-" + id)
                      .list()
                      .getItems()
                      .isEmpty());
    }
  }

  @Test
  void aTaskCalledBeforeARestartOfToolrunIsFetchedFromTheNextOne() {
    RawMcpSession before = new RawMcpSession("http://127.0.0.1:" + port, TOKEN, "2025-11-25");
    Map<String, Object> created =
        before.result(
            "tools/call",
            Map.of("name", "slow-greeter", "arguments", Map.of("name", "Ada"), "task", Map.of()));
    String taskId = (String) ((Map<?, ?>) created.get("task")).get("taskId");
    assertThat(before.result("tasks/get", Map.of("taskId", taskId)))
        .containsEntry("status", "working");
    before.close();

    // toolrun stops (its runs go on in the cluster) and a new one starts on the same records.
    server.stop();
    startToolrun();

    try (RawMcpSession after = new RawMcpSession("http://127.0.0.1:" + port, TOKEN, "2025-11-25")) {
      Map<String, Object> result = after.result("tasks/result", Map.of("taskId", taskId));

      assertThat(result).containsEntry("isError", false);
      assertThat(result.get("structuredContent")).isEqualTo(Map.of("greeting", "hello Ada"));
      assertThat(after.result("tasks/get", Map.of("taskId", taskId)))
          .containsEntry("status", "completed");
      assertThat(stateOf(taskId)).isEqualTo("SUCCEEDED");
    }
  }

  private static String awaitRunningSleeper() {
    String[] found = new String[1];
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              for (var item :
                  rest.get("/v1/instances?tool=sleeper&state=RUNNING").json().get("items")) {
                found[0] = item.get("id").asString();
                return true;
              }
              return false;
            });
    return found[0];
  }
}
