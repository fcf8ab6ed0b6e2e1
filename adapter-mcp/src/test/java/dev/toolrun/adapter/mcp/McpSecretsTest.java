package dev.toolrun.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.PageRequest;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret inputs of MCP calls come from the server's configuration, bound to the tool, never from
 * the model: over real HTTP with the SDK's client, and as plain JSON-RPC for a task.
 */
class McpSecretsTest {
  private static final String ENV_VALUE = "env-secret-value-1";
  private static final String FILE_VALUE = "file-secret-value-2";

  @TempDir Path dir;
  private Path tokenFile;
  private McpTestServer server;
  private McpSyncClient client;

  @BeforeEach
  void start() throws IOException {
    tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, FILE_VALUE + "\n");
    ToolSecrets secrets =
        ToolSecrets.NONE
            .with(new ToolName("deployer"), "API_KEY", SecretReference.parse("env:DEPLOY_KEY"))
            .with(new ToolName("filer"), "TOKEN", SecretReference.parse("file:" + tokenFile))
            .with(new ToolName("partial"), "FIRST", SecretReference.parse("env:DEPLOY_KEY"))
            .with(new ToolName("unset"), "X", SecretReference.parse("env:NOT_SET_ANYWHERE"));
    server = new McpTestServer(secrets, Map.of("DEPLOY_KEY", ENV_VALUE));
    server.register("deployer", "Deploys", spec -> spec.secretInput("API_KEY"));
    server.register("filer", "Files", spec -> spec.secretInput("TOKEN"));
    server.register(
        "partial", "Half configured", spec -> spec.secretInput("FIRST").secretInput("SECOND"));
    server.register("unset", "Names a variable nobody set", spec -> spec.secretInput("X"));
    server.register("plain", "No secrets", spec -> spec);
    client = server.client();
  }

  @AfterEach
  void stop() {
    client.closeGracefully();
    server.close();
  }

  private List<McpSchema.Tool> toolsOnceListed(String... names) {
    AtomicReference<List<McpSchema.Tool>> tools = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              tools.set(client.listTools().tools());
              return tools.get().stream()
                  .map(McpSchema.Tool::name)
                  .toList()
                  .containsAll(List.of(names));
            });
    return tools.get();
  }

  private McpSchema.CallToolResult call(String tool, Map<String, Object> arguments) {
    return client.callTool(
        McpSchema.CallToolRequest.builder().name(tool).arguments(arguments).build());
  }

  private static InstanceId instanceOf(McpSchema.CallToolResult result) {
    return new InstanceId((String) result.meta().get("toolrun.dev/instanceId"));
  }

  private Map<String, String> secretsGiven(InstanceId id) {
    return server.launches.secretsOf(id).orElseThrow().reveal();
  }

  private int instanceCount() {
    return server
        .application
        .listInstances()
        .list(new ListInstancesQuery(InstanceFilter.ALL, PageRequest.first(100)))
        .items()
        .size();
  }

  @Test
  void aToolWhoseSecretsAreConfiguredIsListedWithoutThemAndCalledWithTheServersValues() {
    List<McpSchema.Tool> tools = toolsOnceListed("deployer", "filer", "plain");

    McpSchema.Tool deployer =
        tools.stream().filter(t -> t.name().equals("deployer")).findFirst().orElseThrow();
    assertThat(deployer.inputSchema()).isEqualTo(Map.of("type", "object"));
    assertThat(deployer.toString()).doesNotContain("API_KEY").doesNotContain(ENV_VALUE);

    McpSchema.CallToolResult fromEnv = call("deployer", Map.of("target", "prod"));
    McpSchema.CallToolResult fromFile = call("filer", Map.of());

    assertThat(fromEnv.isError()).isFalse();
    assertThat(secretsGiven(instanceOf(fromEnv))).isEqualTo(Map.of("API_KEY", ENV_VALUE));
    assertThat(fromEnv.toString()).doesNotContain(ENV_VALUE);
    assertThat(
            server
                .application
                .getInstance()
                .get(new GetInstanceQuery(instanceOf(fromEnv)))
                .instance()
                .secretNames())
        .containsExactly("API_KEY");
    assertThat(fromFile.isError()).isFalse();
    // The file's trailing line break is not part of the secret.
    assertThat(secretsGiven(instanceOf(fromFile))).isEqualTo(Map.of("TOKEN", FILE_VALUE));
  }

  @Test
  void aSecretFileIsReadAtEachCallAndOneThatCannotBeReadIsAnErrorNamingItsKeyOnly()
      throws IOException {
    toolsOnceListed("filer");
    Files.writeString(tokenFile, "rotated-value");

    McpSchema.CallToolResult rotated = call("filer", Map.of());
    Files.delete(tokenFile);
    int before = instanceCount();

    assertThat(secretsGiven(instanceOf(rotated))).isEqualTo(Map.of("TOKEN", "rotated-value"));
    assertThatThrownBy(() -> call("filer", Map.of()))
        .isInstanceOfSatisfying(
            McpError.class,
            e -> {
              assertThat(e.getJsonRpcError().code()).isEqualTo(McpSchema.ErrorCodes.INTERNAL_ERROR);
              assertThat(e.getJsonRpcError().message())
                  .contains("mcp.secrets.filer.TOKEN")
                  .contains("cannot be read")
                  .doesNotContain("rotated-value");
            });
    assertThat(instanceCount()).isEqualTo(before);
  }

  @Test
  void anEnvironmentVariableThatIsNotSetIsAnErrorNamingItsKey() {
    toolsOnceListed("unset");

    assertThatThrownBy(() -> call("unset", Map.of()))
        .isInstanceOfSatisfying(
            McpError.class,
            e ->
                assertThat(e.getJsonRpcError().message())
                    .contains("mcp.secrets.unset.X = env:NOT_SET_ANYWHERE")
                    .contains("not set"));
    assertThat(instanceCount()).isZero();
  }

  @Test
  void argumentsThatNameASecretInputAreRefusedAndLaunchNothing() {
    toolsOnceListed("deployer");

    McpSchema.CallToolResult refused = call("deployer", Map.of("API_KEY", "the model's guess"));

    assertThat(refused.isError()).isTrue();
    assertThat(((McpSchema.TextContent) refused.content().get(0)).text())
        .contains("API_KEY")
        .contains("secret input");
    assertThat(instanceCount()).isZero();
  }

  @Test
  void aToolWhoseSecretInputsAreNotAllConfiguredIsNotListedAndCannotBeCalled() {
    List<McpSchema.Tool> tools = toolsOnceListed("deployer", "plain");
    RawMcpSession session = new RawMcpSession(server.base, McpTestServer.TOKEN, "2025-11-25");

    assertThat(tools).extracting(McpSchema.Tool::name).doesNotContain("partial");
    assertThatThrownBy(() -> call("partial", Map.of())).isInstanceOf(McpError.class);
    Map<String, Object> asTask =
        session.error(
            "tools/call", Map.of("name", "partial", "arguments", Map.of(), "task", Map.of()));
    assertThat(asTask).containsEntry("code", McpSchema.ErrorCodes.INVALID_PARAMS);
    assertThat((String) asTask.get("message")).contains("Unknown tool: partial");
    assertThat(instanceCount()).isZero();
    session.close();
  }

  @Test
  @SuppressWarnings("unchecked")
  void aTaskAugmentedCallGetsTheSameSecrets() {
    toolsOnceListed("deployer");
    RawMcpSession session = new RawMcpSession(server.base, McpTestServer.TOKEN, "2025-11-25");

    Map<String, Object> created =
        session.result(
            "tools/call", Map.of("name", "deployer", "arguments", Map.of(), "task", Map.of()));
    String taskId = (String) ((Map<String, Object>) created.get("task")).get("taskId");
    Map<String, Object> result = session.result("tasks/result", Map.of("taskId", taskId));

    assertThat(result).containsEntry("isError", false);
    assertThat(secretsGiven(new InstanceId(taskId))).isEqualTo(Map.of("API_KEY", ENV_VALUE));
    assertThat(result.toString()).doesNotContain(ENV_VALUE);
    session.close();
  }
}
