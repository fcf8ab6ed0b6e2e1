package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.app.config.ConfigLoader;
import dev.toolrun.app.config.ToolrunConfig;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole service as {@code java -jar} wires it, with the MCP endpoint mounted at /mcp on the
 * REST API's server: a tool registered over REST is listed and called over MCP, with the same
 * token, and a tool's secret input comes from the configuration file's {@code mcp.secrets.*} key.
 */
class McpEndToEndTest {
  private static final String TOKEN = "mcp-e2e-token";
  private static final String DEPLOY_KEY = "e2e-deploy-key";
  private static ToolrunServer server;
  private static ToolrunClient rest;
  private static int port;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws IOException {
    Path key = Files.writeString(dir.resolve("deploy-key"), DEPLOY_KEY);
    Path file =
        Files.writeString(
            dir.resolve("toolrun.properties"), "mcp.secrets.deployer.API_KEY = file:" + key + "\n");
    ToolrunConfig config =
        new ConfigLoader()
            .load(
                List.of("--config", file.toString()),
                Map.of(
                    "TOOLRUN_HTTP_PORT", "0",
                    "TOOLRUN_HTTP_HOST", "127.0.0.1",
                    "TOOLRUN_AUTH_TOKEN", TOKEN,
                    "TOOLRUN_IN_MEMORY_STEP_DELAY_MS", "20"));
    server = Main.createServer(config);
    port = server.start();
    rest = new ToolrunClient(port, TOKEN);
  }

  @AfterAll
  static void stop() {
    server.stop();
  }

  private static McpSyncClient mcp(String token) {
    return McpClient.sync(
            HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + token))
                .build())
        .requestTimeout(Duration.ofSeconds(20))
        .build();
  }

  @Test
  void aToolRegisteredOverRestIsListedAndCalledOverMcp() {
    ToolrunClient.Answer registered =
        rest.put(
            "/v1/tools/greeter",
            """
            {"description": "Greets someone",
             "spec": {"mode": "TASK", "image": {"name": "example/greeter:1"}}}
            """);
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);

    try (McpSyncClient client = mcp(TOKEN)) {
      client.initialize();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> client.listTools().tools().stream().anyMatch(t -> t.name().equals("greeter")));

      McpSchema.CallToolResult result =
          client.callTool(
              McpSchema.CallToolRequest.builder()
                  .name("greeter")
                  .arguments(Map.of("name", "Ada"))
                  .build());

      assertThat(result.isError()).isFalse();
      assertThat(result.structuredContent().toString()).contains("Ada");
      String id = (String) result.meta().get("toolrun.dev/instanceId");
      ToolrunClient.Answer instance = rest.get("/v1/instances/" + id);
      assertThat(instance.json().get("state").asString()).isEqualTo("SUCCEEDED");
    }
  }

  @Test
  void aToolWithASecretInputIsCalledOverMcpWithTheSecretFromTheConfiguration() {
    ToolrunClient.Answer registered =
        rest.put(
            "/v1/tools/deployer",
            """
            {"description": "Deploys",
             "spec": {"mode": "TASK", "image": {"name": "example/deployer:1"},
                      "secretInputs": ["API_KEY"]}}
            """);
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);

    try (McpSyncClient client = mcp(TOKEN)) {
      client.initialize();
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> client.listTools().tools().stream().anyMatch(t -> t.name().equals("deployer")));

      McpSchema.CallToolResult result =
          client.callTool(McpSchema.CallToolRequest.builder().name("deployer").build());

      assertThat(result.isError()).as(result.toString()).isFalse();
      String id = (String) result.meta().get("toolrun.dev/instanceId");
      ToolrunClient.Answer instance = rest.get("/v1/instances/" + id);
      assertThat(instance.json().get("secretNames").toString()).contains("API_KEY");
      assertThat(instance.body()).doesNotContain(DEPLOY_KEY);
    }
  }

  @Test
  void theRestApiStillAnswersAndMcpRefusesAWrongToken() {
    assertThat(rest.get("/v1/tools").status()).isEqualTo(200);
    try (McpSyncClient refused = mcp("not-the-token")) {
      assertThatThrownBy(refused::initialize).isNotNull();
    }
  }
}
