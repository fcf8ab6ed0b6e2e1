package dev.toolrun.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.tool.JsonSchema;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.PageRequest;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Tools with schemas, as an MCP client sees them through the official SDK's own client. */
class TypedToolsMcpTest {
  private static final JsonSchema INPUT =
      new JsonSchema(
          Map.of(
              "type",
              "object",
              "required",
              List.of("name"),
              "additionalProperties",
              false,
              "properties",
              Map.of(
                  "name", Map.of("type", "string", "description", "who to greet"),
                  "times", Map.of("type", "integer", "minimum", 1))));

  private static final JsonSchema OUTPUT =
      new JsonSchema(
          Map.of(
              "type",
              "object",
              "required",
              List.of("greeting"),
              "properties",
              Map.of("greeting", Map.of("type", "string"))));

  private McpTestServer server;
  private McpSyncClient client;

  @BeforeEach
  void start() {
    server = new McpTestServer();
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.closeGracefully();
    }
    server.close();
  }

  private McpSchema.Tool listed(String name) {
    AtomicReference<McpSchema.Tool> tool = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              client.listTools().tools().stream()
                  .filter(t -> t.name().equals(name))
                  .findFirst()
                  .ifPresent(tool::set);
              return tool.get() != null;
            });
    return tool.get();
  }

  private void registerGreeter() {
    server.register("greeter", "Greets", spec -> spec.inputSchema(INPUT).outputSchema(OUTPUT));
    client = server.client();
  }

  private static McpSchema.CallToolRequest call(Map<String, Object> arguments) {
    return McpSchema.CallToolRequest.builder("greeter").arguments(arguments).build();
  }

  @Test
  void toolsListShowsTheDeclaredSchemas() {
    registerGreeter();

    McpSchema.Tool greeter = listed("greeter");

    assertThat(greeter.inputSchema()).isEqualTo(json(INPUT));
    assertThat(greeter.outputSchema()).isEqualTo(json(OUTPUT));
  }

  @Test
  void anOutputSchemaThatMayNotDescribeAnObjectIsNotListed() {
    // The structured content of a call is an object; a list result arrives wrapped in one.
    server.register(
        "lister", "Lists", spec -> spec.outputSchema(new JsonSchema(Map.of("type", "array"))));
    client = server.client();

    McpSchema.Tool lister = listed("lister");

    assertThat(lister.inputSchema()).isEqualTo(Map.of("type", "object"));
    assertThat(lister.outputSchema()).isNull();
  }

  @Test
  void invalidArgumentsAreAToolErrorListingEveryViolationWithItsPointer() {
    registerGreeter();
    listed("greeter");

    McpSchema.CallToolResult refused = client.callTool(call(Map.of("times", 0, "colour", "red")));

    // MCP 2025-11-25 (SEP-1303): a tool execution error, which the model sees and can act on.
    assertThat(refused.isError()).isTrue();
    assertThat(((McpSchema.TextContent) refused.content().get(0)).text())
        .contains("/name: is required");
    assertThat(refused.structuredContent())
        .asInstanceOf(MAP)
        .containsEntry("error", "VALIDATION_FAILED")
        .extractingByKey("violations")
        .asInstanceOf(LIST)
        .contains(
            Map.of("field", "parameters/name", "pointer", "/name", "message", "is required"),
            Map.of(
                "field",
                "parameters/colour",
                "pointer",
                "/colour",
                "message",
                "is not allowed by the schema"))
        .anySatisfy(
            violation ->
                assertThat(violation).asInstanceOf(MAP).containsEntry("pointer", "/times"));
    assertThat(
            server
                .application
                .listInstances()
                .list(new ListInstancesQuery(InstanceFilter.ALL, PageRequest.first(10)))
                .items())
        .isEmpty();
  }

  @Test
  void validArgumentsRunTheToolAndItsResultIsTheStructuredContent() {
    registerGreeter();
    server.runtime.script(
        new ToolName("greeter"), Scenario.succeed(List.of(), "{\"greeting\":\"hello Ada\"}"));
    listed("greeter");

    McpSchema.CallToolResult result = client.callTool(call(Map.of("name", "Ada", "times", 2)));

    assertThat(result.isError()).isFalse();
    assertThat(result.structuredContent()).isEqualTo(Map.of("greeting", "hello Ada"));
  }

  @Test
  void aResultBreakingTheOutputSchemaIsAnErrorResultAndStaysFlaggedOnTheInstance() {
    registerGreeter();
    server.runtime.script(new ToolName("greeter"), Scenario.succeed(List.of(), "{\"greeting\":1}"));
    listed("greeter");

    McpSchema.CallToolResult result = client.callTool(call(Map.of("name", "Ada")));

    // The SDK holds answers to the listed output schema; the record keeps the result as it was.
    assertThat(result.isError()).isTrue();
    Instance instance = onlyInstance();
    assertThat(instance.result().orElseThrow().json()).isEqualTo("{\"greeting\":1}");
    assertThat(instance.result().orElseThrow().violations())
        .extracting(Violation::field)
        .containsExactly("/greeting");
  }

  private Instance onlyInstance() {
    InstanceId id =
        server
            .application
            .listInstances()
            .list(new ListInstancesQuery(InstanceFilter.ALL, PageRequest.first(10)))
            .items()
            .get(0)
            .instance()
            .id();
    return server.application.getInstance().get(new GetInstanceQuery(id)).instance();
  }

  // What the schema looks like once it went over the wire: numbers as JSON numbers.
  private static Map<String, Object> json(JsonSchema schema) {
    JsonMapper mapper = JsonMapper.builder().build();
    @SuppressWarnings("unchecked")
    Map<String, Object> document =
        mapper.readValue(mapper.writeValueAsString(schema.document()), Map.class);
    return document;
  }
}
