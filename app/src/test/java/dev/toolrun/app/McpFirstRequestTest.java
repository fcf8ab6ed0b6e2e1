package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.app.config.ConfigLoader;
import dev.toolrun.app.config.ToolrunConfig;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * toolrun says it is ready before the MCP server behind /mcp is built (it is built in the
 * background once the API listens, off the start's way: docs/benchmarks.md, figure 6). A client
 * that comes the moment toolrun is ready is served all the same: its first request waits for the
 * build, then finds the catalog as REST left it.
 */
class McpFirstRequestTest {
  private static final String TOKEN = "mcp-first-request-token";
  private ToolrunServer server;

  @AfterEach
  void stop() {
    server.stop();
  }

  private int start() {
    ToolrunConfig config =
        new ConfigLoader()
            .load(
                List.of(),
                Map.of(
                    "TOOLRUN_HTTP_PORT", "0",
                    "TOOLRUN_HTTP_HOST", "127.0.0.1",
                    "TOOLRUN_AUTH_TOKEN", TOKEN,
                    "TOOLRUN_IN_MEMORY_STEP_DELAY_MS", "20"));
    server = Main.createServer(config);
    return server.start();
  }

  private static McpSyncClient mcp(int port) {
    return McpClient.sync(
            HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                .endpoint("/mcp")
                .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + TOKEN))
                .build())
        .requestTimeout(Duration.ofSeconds(20))
        .build();
  }

  @Test
  void aClientThatComesAsSoonAsToolrunIsReadyListsAndCallsTools() {
    int port = start();
    ToolrunClient rest = new ToolrunClient(port, TOKEN);
    assertThat(rest.get("/health/ready").status()).isEqualTo(200);
    ToolrunClient.Answer registered =
        rest.put(
            "/v1/tools/greeter",
            """
            {"description": "Greets someone",
             "spec": {"mode": "TASK", "image": {"name": "example/greeter:1"}}}
            """);
    assertThat(registered.status()).as(registered.body()).isEqualTo(201);

    try (McpSyncClient client = mcp(port)) {
      McpSchema.InitializeResult initialized = client.initialize();

      assertThat(initialized.serverInfo().name()).isEqualTo("toolrun");
      // Registered before or after the build listed the catalog: listed at once, or at its next
      // reading of the catalog.
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
      assertThat(result.isError()).as(result.toString()).isFalse();
    }
  }
}
