package dev.toolrun.adapter.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.PageRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * MCP tasks (2025-11-25) over real HTTP, spoken as plain JSON-RPC: the SDK's Java client (2.1.0)
 * cannot send a task-augmented request.
 */
class McpTasksTest {
  private static final String TASKS = "2025-11-25";
  private static final String NO_TASKS = "2025-06-18";

  private McpTestServer server;
  private final List<RawMcpSession> sessions = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() {
    server = new McpTestServer();
  }

  @AfterEach
  void stop() {
    sessions.forEach(RawMcpSession::close);
    server.close();
  }

  private RawMcpSession session(String protocolVersion) {
    RawMcpSession session = new RawMcpSession(server.base, McpTestServer.TOKEN, protocolVersion);
    sessions.add(session);
    return session;
  }

  private void registerAndAwaitListed(String name) {
    server.register(name, "A tool", spec -> spec);
    RawMcpSession probe = session(TASKS);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> toolNames(probe.result("tools/list", Map.of())).contains(name));
  }

  @SuppressWarnings("unchecked")
  private static List<String> toolNames(Map<String, Object> listed) {
    return ((List<Map<String, Object>>) listed.get("tools"))
        .stream().map(t -> (String) t.get("name")).toList();
  }

  private static Map<String, Object> taskCall(String tool, Map<String, Object> arguments) {
    return Map.of("name", tool, "arguments", arguments, "task", Map.of("ttl", 60_000));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> taskOf(Map<String, Object> created) {
    return (Map<String, Object>) created.get("task");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private InstanceState stateOf(String taskId) {
    return server
        .application
        .getInstance()
        .get(new GetInstanceQuery(new InstanceId(taskId)))
        .instance()
        .state();
  }

  @Test
  void aSessionOf2025_11_25IsOfferedTasksAndEveryToolMayRunAsOne() {
    registerAndAwaitListed("greeter");
    RawMcpSession session = session(TASKS);

    assertThat(session.initializeResult()).containsEntry("protocolVersion", TASKS);
    assertThat(map(session.initializeResult().get("capabilities")))
        .containsEntry(
            "tasks",
            Map.of(
                "list", Map.of(),
                "cancel", Map.of(),
                "requests", Map.of("tools", Map.of("call", Map.of()))))
        .containsKey("tools");
    Map<String, Object> listed = session.result("tools/list", Map.of());
    assertThat(map(listed).get("tools"))
        .asList()
        .allSatisfy(
            tool ->
                assertThat(map(tool))
                    .containsEntry("execution", Map.of("taskSupport", "optional"))
                    .containsKey("inputSchema"));
  }

  @Test
  void aSessionOf2025_06_18SeesNoTasksAndATaskFieldIsIgnored() {
    registerAndAwaitListed("greeter");
    RawMcpSession session = session(NO_TASKS);

    assertThat(session.initializeResult()).containsEntry("protocolVersion", NO_TASKS);
    assertThat(map(session.initializeResult().get("capabilities"))).doesNotContainKey("tasks");
    assertThat(map(session.result("tools/list", Map.of())).get("tools"))
        .asList()
        .allSatisfy(tool -> assertThat(map(tool)).doesNotContainKey("execution"));
    // As a server without tasks must: the call is answered when the run ended.
    Map<String, Object> answered =
        session.result("tools/call", taskCall("greeter", Map.of("name", "Ada")));
    assertThat(answered).containsEntry("isError", false).doesNotContainKey("task");
    assertThat(map(answered.get("structuredContent")))
        .containsEntry("parameters", Map.of("name", "Ada"));
    assertThat(session.error("tasks/get", Map.of("taskId", "x"))).containsEntry("code", -32601);
  }

  @Test
  void aTaskAugmentedCallAnswersAtOnceAndItsResultIsTheSynchronousCallsAnswer() throws Exception {
    server.register("slow", "Takes a second", spec -> spec);
    server.runtime.script(
        new ToolName("slow"),
        Scenario.succeedAfter(Duration.ofSeconds(1), List.of("working"), "{\"ok\":true}"));
    registerAndAwaitListed("greeter");
    RawMcpSession session = session(TASKS);
    Instant before = Instant.now();

    Map<String, Object> created = session.result("tools/call", taskCall("slow", Map.of("n", 1)));

    Map<String, Object> task = taskOf(created);
    String taskId = (String) task.get("taskId");
    assertThat(task)
        .containsEntry("status", "working")
        .containsEntry("ttl", (int) McpTestServer.TASK_TTL.toMillis())
        .containsEntry("pollInterval", (int) McpTestServer.TASK_POLL.toMillis())
        .containsKeys("createdAt", "lastUpdatedAt", "statusMessage");
    assertThat(Instant.parse((String) task.get("createdAt")))
        .isAfterOrEqualTo(before.minusSeconds(1));
    assertThat(map(created.get("_meta")))
        .containsKey("io.modelcontextprotocol/model-immediate-response");
    // The task id is the instance id, and the run has not ended when the answer came.
    assertThat(stateOf(taskId).isTerminal()).isFalse();
    assertThat(session.result("tasks/get", Map.of("taskId", taskId)))
        .containsEntry("taskId", taskId)
        .containsEntry("status", "working");
    assertThat(session.lastContentType()).startsWith("application/json");

    Map<String, Object> result = session.result("tasks/result", Map.of("taskId", taskId));

    assertThat(stateOf(taskId)).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(result).containsEntry("isError", false);
    assertThat(map(result.get("structuredContent"))).containsEntry("ok", true);
    assertThat(map(result.get("_meta")))
        .containsEntry("io.modelcontextprotocol/related-task", Map.of("taskId", taskId))
        .containsEntry("toolrun.dev/instanceId", taskId)
        .containsEntry("toolrun.dev/state", "SUCCEEDED");
    assertThat(result.get("content").toString()).contains("toolrun://instances/" + taskId);
    Map<String, Object> done = session.result("tasks/get", Map.of("taskId", taskId));
    assertThat(done).containsEntry("status", "completed");
    assertThat(Instant.parse((String) done.get("lastUpdatedAt")))
        .isAfter(Instant.parse((String) done.get("createdAt")));

    // The same tool called without a task answers the same shape, minus the task's _meta.
    Map<String, Object> sync =
        session.result("tools/call", Map.of("name", "slow", "arguments", Map.of("n", 1)));
    assertThat(sync.keySet()).isEqualTo(result.keySet());
    assertThat(sync.get("structuredContent")).isEqualTo(result.get("structuredContent"));
    assertThat(map(sync.get("_meta"))).doesNotContainKey("io.modelcontextprotocol/related-task");
  }

  @Test
  void aFailedRunIsAFailedTaskWhoseResultIsTheErrorAnswer() {
    server.register("breaker", "Fails", spec -> spec);
    server.runtime.script(new ToolName("breaker"), Scenario.fail(3, List.of("boom")));
    registerAndAwaitListed("breaker");
    RawMcpSession session = session(TASKS);
    String taskId =
        (String) taskOf(session.result("tools/call", taskCall("breaker", Map.of()))).get("taskId");

    Map<String, Object> result = session.result("tasks/result", Map.of("taskId", taskId));

    assertThat(result).containsEntry("isError", true);
    assertThat(map(result.get("structuredContent")))
        .containsEntry("state", "FAILED")
        .containsEntry("exitCode", 3)
        .containsEntry("logTail", List.of("boom"));
    Map<String, Object> task = session.result("tasks/get", Map.of("taskId", taskId));
    assertThat(task).containsEntry("status", "failed");
    assertThat((String) task.get("statusMessage")).contains("FAILED");
  }

  @Test
  void tasksCancelCancelsTheInstanceAndATerminalTaskCannotBeCancelled() {
    server.register("sleeper", "Never ends", spec -> spec);
    server.runtime.script(new ToolName("sleeper"), Scenario.neverFinish());
    registerAndAwaitListed("sleeper");
    RawMcpSession session = session(TASKS);
    String taskId =
        (String) taskOf(session.result("tools/call", taskCall("sleeper", Map.of()))).get("taskId");
    await().atMost(Duration.ofSeconds(5)).until(() -> stateOf(taskId) == InstanceState.RUNNING);

    Map<String, Object> cancelled = session.result("tasks/cancel", Map.of("taskId", taskId));

    assertThat(cancelled).containsEntry("taskId", taskId).containsEntry("status", "cancelled");
    assertThat(stateOf(taskId)).isEqualTo(InstanceState.CANCELLED);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> !server.runtime.hasWorkload(new InstanceId(taskId)));
    Map<String, Object> again = session.error("tasks/cancel", Map.of("taskId", taskId));
    assertThat(again).containsEntry("code", -32602);
    assertThat((String) again.get("message")).contains("already in terminal status 'cancelled'");
    Map<String, Object> result = session.result("tasks/result", Map.of("taskId", taskId));
    assertThat(result).containsEntry("isError", true);
    assertThat(map(result.get("structuredContent"))).containsEntry("state", "CANCELLED");
  }

  @Test
  void tasksListListsTasksNewestFirstFromTheCursorOn() {
    registerAndAwaitListed("greeter");
    RawMcpSession session = session(TASKS);
    String first =
        (String) taskOf(session.result("tools/call", taskCall("greeter", Map.of()))).get("taskId");
    // Ids order by their creation's millisecond: the second starts after the first ended.
    session.result("tasks/result", Map.of("taskId", first));
    String second =
        (String) taskOf(session.result("tools/call", taskCall("greeter", Map.of()))).get("taskId");

    Map<String, Object> listed = session.result("tasks/list", Map.of());
    Map<String, Object> older = session.result("tasks/list", Map.of("cursor", second));

    assertThat(map(listed).get("tasks"))
        .asList()
        .extracting(task -> map(task).get("taskId"))
        .containsExactly(second, first);
    assertThat(listed).doesNotContainKey("nextCursor");
    assertThat(map(older).get("tasks"))
        .asList()
        .extracting(task -> map(task).get("taskId"))
        .containsExactly(first);
    assertThat(session.error("tasks/list", Map.of("cursor", "not-a-cursor")))
        .containsEntry("code", -32602);
  }

  @Test
  void anUnknownTaskIsInvalidParams() {
    RawMcpSession session = session(TASKS);

    for (String method : List.of("tasks/get", "tasks/result", "tasks/cancel")) {
      assertThat(session.error(method, Map.of("taskId", "0190c1a2-0000-7000-8000-000000000000")))
          .as(method)
          .containsEntry("code", -32602);
      assertThat(session.error(method, Map.of("taskId", "no-such-task")))
          .as(method)
          .containsEntry("code", -32602);
    }
  }

  @Test
  void invalidArgumentsOfATaskAugmentedCallAreAnErrorAndLaunchNothing() {
    registerAndAwaitListed("greeter");
    RawMcpSession session = session(TASKS);
    Map<String, Object> arguments = new HashMap<>();
    arguments.put("name", null);

    Map<String, Object> invalid = session.error("tools/call", taskCall("greeter", arguments));
    Map<String, Object> unknown = session.error("tools/call", taskCall("nobody", Map.of()));

    assertThat(invalid).containsEntry("code", -32602);
    assertThat(invalid.get("data").toString()).contains("name");
    assertThat(unknown).containsEntry("code", -32602);
    assertThat((String) unknown.get("message")).contains("Unknown tool: nobody");
    assertThat(
            server
                .application
                .listInstances()
                .list(new ListInstancesQuery(InstanceFilter.ALL, PageRequest.first(10)))
                .items())
        .isEmpty();
  }

  @Test
  void aTaskIsFetchedFromANewSessionAfterTheOneThatCreatedItEnded() {
    server.register("slow", "Takes a while", spec -> spec);
    server.runtime.script(
        new ToolName("slow"),
        Scenario.succeedAfter(Duration.ofMillis(500), List.of(), "{\"ok\":true}"));
    registerAndAwaitListed("slow");
    RawMcpSession creator = session(TASKS);
    String taskId =
        (String) taskOf(creator.result("tools/call", taskCall("slow", Map.of()))).get("taskId");
    creator.close();
    sessions.remove(creator);
    await().atMost(Duration.ofSeconds(10)).until(() -> stateOf(taskId) == InstanceState.SUCCEEDED);

    RawMcpSession later = session(TASKS);

    assertThat(later.result("tasks/get", Map.of("taskId", taskId)))
        .containsEntry("status", "completed");
    assertThat(map(later.result("tasks/result", Map.of("taskId", taskId)).get("structuredContent")))
        .containsEntry("ok", true);
  }

  @Test
  void aRestartedEndpointOverTheSameRecordsAnswersForATaskStillRunning() throws Exception {
    server.register("slow", "Takes a while", spec -> spec);
    server.runtime.script(
        new ToolName("slow"),
        Scenario.succeedAfter(Duration.ofSeconds(2), List.of(), "{\"ok\":true}"));
    registerAndAwaitListed("slow");
    String taskId =
        (String)
            taskOf(session(TASKS).result("tools/call", taskCall("slow", Map.of()))).get("taskId");
    String before = server.base;

    server.restartEndpoint();
    sessions.clear();

    assertThat(server.base).isNotEqualTo(before);
    assertThat(stateOf(taskId).isTerminal()).isFalse();
    RawMcpSession after = session(TASKS);
    assertThat(after.result("tasks/get", Map.of("taskId", taskId)))
        .containsEntry("status", "working");
    CompletableFuture<Map<String, Object>> result =
        CompletableFuture.supplyAsync(() -> after.result("tasks/result", Map.of("taskId", taskId)));
    assertThat(map(result.get(10, TimeUnit.SECONDS).get("structuredContent")))
        .containsEntry("ok", true);
    assertThat(after.result("tasks/get", Map.of("taskId", taskId)))
        .containsEntry("status", "completed");
  }
}
