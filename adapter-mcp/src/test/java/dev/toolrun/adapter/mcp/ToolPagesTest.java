package dev.toolrun.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** tools/list in pages of 100 with cursors, read by the SDK's own client. */
class ToolPagesTest {
  private static final int TOOLS = 150;

  private McpTestServer server;
  private McpSyncClient client;

  @BeforeEach
  void start() {
    server = new McpTestServer();
    for (int i = 0; i < TOOLS; i++) {
      server.register("tool-%03d".formatted(i), "number " + i, spec -> spec);
    }
    client = server.client();
    client.initialize();
    await().atMost(Duration.ofSeconds(5)).until(() -> client.listTools().tools().size() == TOOLS);
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void theCatalogComesInPagesThatTogetherHoldEveryToolOnce() {
    McpSchema.ListToolsResult first = client.listTools(null);

    assertThat(first.tools()).hasSize(100);
    assertThat(first.nextCursor()).isNotBlank();
    McpSchema.ListToolsResult second = client.listTools(first.nextCursor());
    assertThat(second.tools()).hasSize(TOOLS - 100);
    assertThat(second.nextCursor()).isNull();

    List<String> names = new ArrayList<>();
    first.tools().forEach(tool -> names.add(tool.name()));
    second.tools().forEach(tool -> names.add(tool.name()));
    assertThat(names).hasSize(TOOLS).doesNotHaveDuplicates().isSorted();
  }

  @Test
  void aCursorThisServerDidNotGiveIsAnInvalidParamsError() {
    assertThatThrownBy(() -> client.listTools("bm90LW91cnM"))
        .isInstanceOfSatisfying(
            McpError.class,
            e ->
                assertThat(e.getJsonRpcError().code())
                    .isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS));
  }
}
