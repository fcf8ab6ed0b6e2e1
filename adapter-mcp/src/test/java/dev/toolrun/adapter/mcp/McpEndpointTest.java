package dev.toolrun.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.DeleteToolUseCase.DeleteToolCommand;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.PageRequest;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.McpHttpClientTransportAuthorizationException;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The MCP endpoint over real HTTP, driven by the official MCP Java SDK's own client. */
class McpEndpointTest {
  private McpTestServer server;
  private final List<McpSyncClient> clients = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    server = new McpTestServer();
  }

  @AfterEach
  void stop() {
    clients.forEach(McpSyncClient::closeGracefully);
    server.close();
  }

  private McpSyncClient client() {
    McpSyncClient client = server.client();
    clients.add(client);
    return client;
  }

  private List<McpSchema.Tool> toolsOnceListed(McpSyncClient client, String... names) {
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

  private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
    return McpSchema.CallToolRequest.builder().name(tool).arguments(arguments).build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> structured(McpSchema.CallToolResult result) {
    return (Map<String, Object>) result.structuredContent();
  }

  private static String text(McpSchema.CallToolResult result) {
    return result.content().stream()
        .filter(McpSchema.TextContent.class::isInstance)
        .map(c -> ((McpSchema.TextContent) c).text())
        .findFirst()
        .orElseThrow();
  }

  private static InstanceId instanceOf(McpSchema.CallToolResult result) {
    return new InstanceId((String) result.meta().get("toolrun.dev/instanceId"));
  }

  private InstanceState stateOf(InstanceId id) {
    return server.application.getInstance().get(new GetInstanceQuery(id)).instance().state();
  }

  @Test
  void initializeAdvertisesToolsWithListChangedResourcesAndLogging() {
    McpSyncClient client = client();

    McpSchema.ServerCapabilities capabilities = client.getServerCapabilities();
    assertThat(capabilities.tools().listChanged()).isTrue();
    assertThat(capabilities.resources()).isNotNull();
    assertThat(capabilities.logging()).isNotNull();
    assertThat(client.getServerInfo().name()).isEqualTo("toolrun");
  }

  @Test
  void listsEveryTaskToolAtItsLatestVersion() {
    server.register("greeter", "Greets someone", spec -> spec);
    server.register("greeter", "Greets someone, politely", spec -> spec);
    McpSyncClient client = client();

    List<McpSchema.Tool> tools = toolsOnceListed(client, "greeter");

    McpSchema.Tool greeter =
        tools.stream().filter(t -> t.name().equals("greeter")).findFirst().orElseThrow();
    assertThat(greeter.description()).isEqualTo("Greets someone, politely");
    assertThat(greeter.meta()).containsEntry("toolrun.dev/version", 2);
    assertThat(greeter.inputSchema()).isEqualTo(Map.of("type", "object"));
  }

  @Test
  void aSuccessfulCallAnswersWithTheResultAsStructuredContentAndText() {
    server.register("greeter", "Greets someone", spec -> spec);
    McpSyncClient client = client();
    toolsOnceListed(client, "greeter");

    McpSchema.CallToolResult result = client.callTool(call("greeter", Map.of("name", "Ada")));

    assertThat(result.isError()).isFalse();
    // The in-memory runtime echoes the parameters as the result.
    assertThat(structured(result)).containsEntry("parameters", Map.of("name", "Ada"));
    assertThat(text(result)).contains("\"name\":\"Ada\"");
    InstanceId id = instanceOf(result);
    assertThat(stateOf(id)).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(result.content())
        .filteredOn(McpSchema.ResourceLink.class::isInstance)
        .extracting(c -> ((McpSchema.ResourceLink) c).uri())
        .containsExactly("toolrun://instances/" + id.value());
  }

  @Test
  void aFailedRunAnswersIsErrorWithTheFailureKindExitCodeAndLogTail() {
    server.register("breaker", "Fails", spec -> spec);
    server.runtime.script(new ToolName("breaker"), Scenario.fail(3, List.of("starting", "boom")));
    McpSyncClient client = client();
    toolsOnceListed(client, "breaker");

    McpSchema.CallToolResult result = client.callTool(call("breaker", Map.of()));

    assertThat(result.isError()).isTrue();
    assertThat(structured(result))
        .containsEntry("state", "FAILED")
        .containsEntry("failureKind", "EXITED_NON_ZERO")
        .containsEntry("exitCode", 3)
        .containsEntry("logTail", List.of("starting", "boom"));
    assertThat(text(result)).contains("exit code 3").contains("boom");
    assertThat(stateOf(instanceOf(result))).isEqualTo(InstanceState.FAILED);
  }

  @Test
  void aRunPastItsTimeoutAnswersIsErrorTimedOut() {
    server.register("sleeper", "Never ends", spec -> spec.timeout(Duration.ofSeconds(1)));
    server.runtime.script(new ToolName("sleeper"), Scenario.neverFinish());
    McpSyncClient client = client();
    toolsOnceListed(client, "sleeper");

    McpSchema.CallToolResult result = client.callTool(call("sleeper", Map.of()));

    assertThat(result.isError()).isTrue();
    assertThat(structured(result))
        .containsEntry("state", "TIMED_OUT")
        .containsEntry("failureKind", "DEADLINE_EXCEEDED");
    assertThat(stateOf(instanceOf(result))).isEqualTo(InstanceState.TIMED_OUT);
  }

  @Test
  void invalidArgumentsAreAToolErrorListingTheViolationsAndLaunchNothing() {
    server.register("greeter", "Greets someone", spec -> spec);
    McpSyncClient client = client();
    toolsOnceListed(client, "greeter");
    Map<String, Object> arguments = new HashMap<>();
    arguments.put("name", null);

    McpSchema.CallToolResult refused = client.callTool(call("greeter", arguments));

    assertThat(refused.isError()).isTrue();
    assertThat(structured(refused)).containsEntry("error", "VALIDATION_FAILED");
    assertThat(structured(refused).get("violations").toString()).contains("name").contains("null");
    assertThat(
            server
                .application
                .listInstances()
                .list(new ListInstancesQuery(InstanceFilter.ALL, PageRequest.first(10)))
                .items())
        .isEmpty();
  }

  @Test
  void aClientsCancellationCancelsTheInstanceAndRemovesItsWorkload() throws Exception {
    server.register("sleeper", "Never ends", spec -> spec);
    server.runtime.script(new ToolName("sleeper"), Scenario.neverFinish());
    RecordingTransport transport = new RecordingTransport(server.transport(McpTestServer.TOKEN));
    McpSyncClient client = server.client(transport, spec -> {});
    clients.add(client);
    toolsOnceListed(client, "sleeper");
    CompletableFuture<McpSchema.CallToolResult> answer =
        CompletableFuture.supplyAsync(() -> client.callTool(call("sleeper", Map.of())));
    InstanceId id = awaitRunningInstance();

    transport.cancel(transport.lastRequestId(McpSchema.METHOD_TOOLS_CALL));

    McpSchema.CallToolResult result = answer.get(10, TimeUnit.SECONDS);
    assertThat(result.isError()).isTrue();
    assertThat(structured(result)).containsEntry("state", "CANCELLED");
    assertThat(stateOf(id)).isEqualTo(InstanceState.CANCELLED);
    assertThat(server.runtime.hasWorkload(id)).isFalse();
  }

  private InstanceId awaitRunningInstance() {
    AtomicReference<InstanceId> running = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> {
              server
                  .application
                  .listInstances()
                  .list(new ListInstancesQuery(InstanceFilter.ALL, PageRequest.first(10)))
                  .items()
                  .stream()
                  .filter(v -> v.instance().state() == InstanceState.RUNNING)
                  .findFirst()
                  .ifPresent(v -> running.set(v.instance().id()));
              return running.get() != null;
            });
    return running.get();
  }

  @Test
  void aDisconnectedClientDoesNotCancelTheRun() {
    server.register("slow", "Takes a while", spec -> spec);
    server.runtime.script(
        new ToolName("slow"),
        Scenario.succeedAfter(Duration.ofSeconds(3), List.of(), "{\"ok\":true}"));
    McpSyncClient client = client();
    toolsOnceListed(client, "slow");
    CompletableFuture<McpSchema.CallToolResult> answer =
        CompletableFuture.supplyAsync(() -> client.callTool(call("slow", Map.of())));
    InstanceId id = awaitRunningInstance();

    client.close();
    clients.remove(client);

    // The client ended its session (DELETE) and dropped the call's stream while the run went on.
    await().atMost(Duration.ofSeconds(2)).until(() -> server.endpoint.sessionCount() == 0);
    assertThat(stateOf(id)).isEqualTo(InstanceState.RUNNING);
    await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(id) == InstanceState.SUCCEEDED);
    answer.cancel(true);
  }

  @Test
  void progressIsReportedAsTheStateMovesWhenTheClientSentAToken() {
    server.register("greeter", "Greets someone", spec -> spec);
    List<McpSchema.ProgressNotification> progress = new CopyOnWriteArrayList<>();
    McpSyncClient client =
        server.client(
            server.transport(McpTestServer.TOKEN), spec -> spec.progressConsumer(progress::add));
    clients.add(client);
    toolsOnceListed(client, "greeter");

    McpSchema.CallToolResult result =
        client.callTool(
            McpSchema.CallToolRequest.builder()
                .name("greeter")
                .arguments(Map.of("name", "Ada"))
                .progressToken("call-1")
                .build());

    assertThat(result.isError()).isFalse();
    await()
        .atMost(Duration.ofSeconds(2))
        .until(
            () ->
                progress.size() >= 2
                    && progress.stream().anyMatch(p -> p.progress().equals(p.total())));
    assertThat(progress).allSatisfy(p -> assertThat(p.progressToken()).isEqualTo("call-1"));
    // The SDK's client may hand notifications that arrive milliseconds apart to the consumer in
    // another order, so the stages are checked as a set: one notification per stage, ending with
    // the end.
    List<Double> values = progress.stream().map(McpSchema.ProgressNotification::progress).toList();
    assertThat(values).doesNotHaveDuplicates();
    McpSchema.ProgressNotification end =
        progress.stream().filter(p -> p.progress().equals(p.total())).findFirst().orElseThrow();
    assertThat(end.message()).contains("SUCCEEDED");
    assertThat(values).allSatisfy(v -> assertThat(v).isLessThanOrEqualTo(end.total()));
  }

  @Test
  void aToolRegisteredOrDeletedElsewhereIsAnnouncedWithinASecond() {
    List<List<McpSchema.Tool>> announced = new CopyOnWriteArrayList<>();
    McpSyncClient client =
        server.client(
            server.transport(McpTestServer.TOKEN),
            spec -> spec.toolsChangeConsumer(announced::add));
    clients.add(client);

    server.register("newcomer", "Just registered", spec -> spec);

    await()
        .atMost(Duration.ofSeconds(1))
        .until(
            () ->
                announced.stream()
                    .anyMatch(tools -> tools.stream().anyMatch(t -> t.name().equals("newcomer"))));
    int before = announced.size();
    server.application.deleteTool().delete(new DeleteToolCommand(new ToolName("newcomer")));
    await()
        .atMost(Duration.ofSeconds(1))
        .until(
            () ->
                announced.size() > before
                    && announced.get(announced.size() - 1).stream()
                        .noneMatch(t -> t.name().equals("newcomer")));
  }

  @Test
  void instancesAndTheirLogsAreReadableAsResources() {
    server.register("greeter", "Greets someone", spec -> spec);
    McpSyncClient client = client();
    toolsOnceListed(client, "greeter");
    InstanceId id = instanceOf(client.callTool(call("greeter", Map.of("name", "Ada"))));

    McpSchema.ReadResourceResult record =
        client.readResource(new McpSchema.ReadResourceRequest("toolrun://instances/" + id.value()));
    McpSchema.ReadResourceResult logs =
        client.readResource(
            new McpSchema.ReadResourceRequest("toolrun://instances/" + id.value() + "/logs"));

    assertThat(((McpSchema.TextResourceContents) record.contents().get(0)).text())
        .contains("\"state\":\"SUCCEEDED\"")
        .contains("\"tool\":\"greeter\"");
    assertThat(((McpSchema.TextResourceContents) logs.contents().get(0)).text())
        .contains("[in-memory runtime]");
    assertThat(client.listResourceTemplates().resourceTemplates())
        .extracting(McpSchema.ResourceTemplate::uriTemplate)
        .containsExactlyInAnyOrder("toolrun://instances/{id}", "toolrun://instances/{id}/logs");
  }

  @Test
  void aClientWithoutTheRightTokenIsRefusedBeforeAnySessionExists() throws Exception {
    for (String token : List.of("wrong-token", "")) {
      McpSyncClient refused =
          io.modelcontextprotocol.client.McpClient.sync(server.transport(token))
              .requestTimeout(Duration.ofSeconds(5))
              .build();
      assertThatThrownBy(refused::initialize)
          .hasRootCauseInstanceOf(McpHttpClientTransportAuthorizationException.class);
      refused.close();
    }
    HttpResponse<String> anonymous =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.base + McpEndpoint.PATH))
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json, text/event-stream")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                                + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                                + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .hasValue("Bearer realm=\"toolrun\"");
    assertThat(anonymous.headers().firstValue("Mcp-Session-Id")).isEmpty();
    assertThat(server.endpoint.sessionCount()).isZero();
  }

  private HttpResponse<String> postRaw(String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.base + McpEndpoint.PATH))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aSessionLeftIdleWithoutAStreamIsEndedButABusyOneIsNot() throws Exception {
    HttpResponse<String> initialized =
        postRaw(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}",
            "Authorization",
            "Bearer " + McpTestServer.TOKEN);
    assertThat(initialized.statusCode()).as(initialized.body()).isEqualTo(200);
    String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
    assertThat(server.endpoint.sessionCount()).isEqualTo(1);

    assertThat(server.endpoint.evictIdleSessions(Duration.ofHours(1))).isZero();
    assertThat(server.endpoint.evictIdleSessions(Duration.ZERO)).isEqualTo(1);

    assertThat(server.endpoint.sessionCount()).isZero();
    HttpResponse<String> afterwards =
        postRaw(
            "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}",
            "Authorization",
            "Bearer " + McpTestServer.TOKEN,
            "Mcp-Session-Id",
            session);
    assertThat(afterwards.statusCode()).isEqualTo(404);
  }

  @Test
  void aRequestNamingAProtocolRevisionTheServerLacksIsRefused() throws Exception {
    HttpResponse<String> initialized =
        postRaw(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}",
            "Authorization",
            "Bearer " + McpTestServer.TOKEN);
    String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();
    String ping = "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";
    String[] common = {"Authorization", "Bearer " + McpTestServer.TOKEN, "Mcp-Session-Id", session};

    HttpResponse<String> unknown =
        postRaw(ping, concat(common, "MCP-Protocol-Version", "1999-01-01"));
    HttpResponse<String> known =
        postRaw(ping, concat(common, "MCP-Protocol-Version", "2025-06-18"));

    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("unsupported MCP-Protocol-Version");
    assertThat(known.statusCode()).isEqualTo(200);
    assertThat(known.body()).contains("\"id\":2");
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }

  @Test
  void anOpenEventStreamGetsKeepAliveCommentsWhileNothingHappens() throws Exception {
    HttpResponse<String> initialized =
        postRaw(
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
                + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}",
            "Authorization",
            "Bearer " + McpTestServer.TOKEN);
    String session = initialized.headers().firstValue("Mcp-Session-Id").orElseThrow();

    HttpResponse<java.util.stream.Stream<String>> listening =
        HttpClient.newHttpClient()
            .sendAsync(
                HttpRequest.newBuilder(URI.create(server.base + McpEndpoint.PATH))
                    .header("Accept", "text/event-stream")
                    .header("Authorization", "Bearer " + McpTestServer.TOKEN)
                    .header("Mcp-Session-Id", session)
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofLines())
            .get(5, TimeUnit.SECONDS);

    assertThat(listening.statusCode()).isEqualTo(200);
    assertThat(listening.headers().firstValue("Content-Type")).hasValue("text/event-stream");
    CompletableFuture<String> firstLine =
        CompletableFuture.supplyAsync(
            () -> listening.body().filter(line -> !line.isEmpty()).findFirst().orElseThrow());
    assertThat(firstLine.get(5, TimeUnit.SECONDS)).isEqualTo(": keep-alive");
    listening.body().close();
  }
}
