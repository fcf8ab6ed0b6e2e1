package dev.toolrun.adapter.mcp.call;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.mcp.transport.ProtocolExtension;
import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.ToolNotFoundException;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.StateChange;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.CancelInstanceUseCase.CancelInstanceCommand;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.GetToolUseCase;
import dev.toolrun.ports.in.GetToolUseCase.GetToolQuery;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.ListInstancesUseCase;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.ProtocolVersions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * MCP tasks (protocol revision 2025-11-25, "call now, fetch later") over toolrun instances.
 *
 * <p>The SDK (2.1.0) knows nothing of tasks, so this is a {@link ProtocolExtension} of the
 * transport: it answers a {@code tools/call} that carries {@code task} and the {@code tasks/*}
 * requests itself, and adds the {@code tasks} capability to {@code initialize} and {@code
 * execution.taskSupport: optional} to every tool of {@code tools/list}. A session that negotiated
 * an older revision sees none of it: its requests go to the SDK as before.
 *
 * <p>A task is an instance: the task id is the instance id, its status is read from the instance's
 * state, and {@code tasks/result} answers what a synchronous call answers. Nothing is kept here, so
 * a task outlives the session that created it and this server: whoever holds the token can fetch it
 * from any session, as long as the instance's record is retained. Like REST, there is one
 * authorization context (the token), so every task is visible to every session.
 */
public final class TaskRequests implements ProtocolExtension {
  static final String CALL = McpSchema.METHOD_TOOLS_CALL;
  static final String GET = "tasks/get";
  static final String RESULT = "tasks/result";
  static final String LIST = "tasks/list";
  static final String CANCEL = "tasks/cancel";

  /** The {@code _meta} key that ties a tool call's result to its task. */
  static final String RELATED_TASK = "io.modelcontextprotocol/related-task";

  /** The {@code _meta} key of the text a host may hand the model while the task runs. */
  static final String IMMEDIATE_RESPONSE = "io.modelcontextprotocol/model-immediate-response";

  /** Tasks listed per page. */
  static final int PAGE_SIZE = PageRequest.DEFAULT_LIMIT;

  private static final TypeRef<Map<String, Object>> MAP = new TypeRef<>() {};

  private final ToolCalls calls;
  private final GetToolUseCase tools;
  private final GetInstanceUseCase get;
  private final ListInstancesUseCase list;
  private final CancelInstanceUseCase cancel;
  private final McpJsonMapper json;
  private final Duration pollInterval;
  private final Duration ttl;
  private final Scheduler blocking;

  /**
   * @param pollInterval how often clients are told to poll a task
   * @param ttl how long a task is kept from its creation: the retention of instance records
   * @param blocking where use cases run; they may block
   */
  public TaskRequests(
      ToolCalls calls,
      GetToolUseCase tools,
      GetInstanceUseCase get,
      ListInstancesUseCase list,
      CancelInstanceUseCase cancel,
      McpJsonMapper json,
      Duration pollInterval,
      Duration ttl,
      Scheduler blocking) {
    this.calls = requireNonNull(calls, "calls is null");
    this.tools = requireNonNull(tools, "tools is null");
    this.get = requireNonNull(get, "get is null");
    this.list = requireNonNull(list, "list is null");
    this.cancel = requireNonNull(cancel, "cancel is null");
    this.json = requireNonNull(json, "json is null");
    this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
    this.ttl = requireNonNull(ttl, "ttl is null");
    this.blocking = requireNonNull(blocking, "blocking is null");
  }

  /** Whether a session of {@code protocolVersion} may use tasks: 2025-11-25 and later. */
  static boolean supportsTasks(String protocolVersion) {
    return protocolVersion != null
        && protocolVersion.compareTo(ProtocolVersions.MCP_2025_11_25) >= 0;
  }

  @Override
  public Optional<Answer> answer(
      String sessionId, String protocolVersion, McpSchema.JSONRPCRequest request) {
    if (!supportsTasks(protocolVersion)) {
      return Optional.empty();
    }
    Map<String, Object> params =
        request.params() == null ? Map.of() : json.convertValue(request.params(), MAP);
    return switch (request.method()) {
      case CALL -> params.get("task") == null ? Optional.empty() : quick(create(params));
      case GET -> quick(onBlocking(() -> task(instance(taskId(params)))));
      case RESULT -> Optional.of(new Answer(result(taskId(params)), true));
      case LIST -> quick(onBlocking(() -> list(params.get("cursor"))));
      case CANCEL -> quick(onBlocking(() -> cancel(taskId(params))));
      default -> Optional.empty();
    };
  }

  @Override
  public Object amend(String protocolVersion, String method, Object result) {
    if (!supportsTasks(protocolVersion)) {
      return result;
    }
    if (McpSchema.METHOD_INITIALIZE.equals(method)) {
      Map<String, Object> initialized = json.convertValue(result, MAP);
      Map<String, Object> capabilities = new LinkedHashMap<>(map(initialized.get("capabilities")));
      capabilities.put(
          "tasks",
          Map.of(
              "list", Map.of(),
              "cancel", Map.of(),
              "requests", Map.of("tools", Map.of("call", Map.of()))));
      initialized.put("capabilities", capabilities);
      return initialized;
    }
    if (McpSchema.METHOD_TOOLS_LIST.equals(method)) {
      Map<String, Object> listed = json.convertValue(result, MAP);
      Object items = listed.get("tools");
      if (items instanceof List<?> tools) {
        listed.put(
            "tools",
            tools.stream()
                .map(
                    tool -> {
                      Map<String, Object> described = new LinkedHashMap<>(map(tool));
                      // Every tool may run as a task or be waited for: a run is a run either way.
                      described.put("execution", Map.of("taskSupport", "optional"));
                      return described;
                    })
                .toList());
      }
      return listed;
    }
    return result;
  }

  private static Optional<Answer> quick(Mono<Object> result) {
    return Optional.of(new Answer(result, false));
  }

  private Mono<Object> onBlocking(Callable<Object> work) {
    return Mono.fromCallable(work).subscribeOn(blocking).onErrorMap(TaskRequests::toMcpError);
  }

  /** A task-augmented tools/call: launches the run and answers with its task at once. */
  private Mono<Object> create(Map<String, Object> params) {
    return onBlocking(
        () -> {
          Tool tool = callableTool(params.get("name"));
          InstanceId id = calls.launch(tool, arguments(params.get("arguments")));
          Map<String, Object> created = new LinkedHashMap<>();
          created.put("task", task(instance(id.value())));
          created.put(
              "_meta",
              Map.of(
                  IMMEDIATE_RESPONSE,
                  "toolrun runs %s as task %s; fetch its result with tasks/result."
                      .formatted(tool.name().value(), id.value())));
          return created;
        });
  }

  // The same tools a client can call without a task: the latest version of a TASK tool whose
  // secret inputs the server holds.
  private Tool callableTool(Object name) {
    if (!(name instanceof String text)) {
      throw invalid("tools/call needs the tool's name");
    }
    Tool tool;
    try {
      tool = tools.get(new GetToolQuery(new ToolName(text), Optional.empty()));
    } catch (ToolNotFoundException | ValidationException e) {
      throw invalid("Unknown tool: " + text);
    }
    if (tool.mode() != ToolMode.TASK || !calls.callable(tool)) {
      throw invalid("Unknown tool: " + text);
    }
    return tool;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> arguments(Object arguments) {
    if (arguments == null) {
      return Map.of();
    }
    if (arguments instanceof Map<?, ?> map) {
      return (Map<String, Object>) map;
    }
    throw invalid("arguments must be an object");
  }

  /** tasks/result: the call's answer once the run ended, however long that takes. */
  private Mono<Object> result(Object taskId) {
    Map<String, Object> related = Map.of(RELATED_TASK, Map.of("taskId", String.valueOf(taskId)));
    return onBlocking(() -> instance(taskId))
        .map(Instance.class::cast)
        .flatMap(
            instance ->
                instance.isTerminal()
                    ? Mono.just(instance)
                    : calls.ended(instance.id(), changed -> Mono.empty()))
        .flatMap(ended -> calls.result(ended, related))
        .map(Object.class::cast)
        .onErrorMap(TaskRequests::toMcpError);
  }

  private Map<String, Object> list(Object cursor) {
    Optional<String> after = Optional.empty();
    if (cursor != null) {
      try {
        after = Optional.of(new InstanceId(String.valueOf(cursor)).value());
      } catch (ValidationException e) {
        throw invalid("invalid cursor");
      }
    }
    Page<InstanceView> page =
        list.list(new ListInstancesQuery(InstanceFilter.ALL, new PageRequest(after, PAGE_SIZE)));
    Map<String, Object> listed = new LinkedHashMap<>();
    listed.put(
        "tasks",
        page.items().stream()
            .map(InstanceView::instance)
            .filter(instance -> instance.mode() == ToolMode.TASK)
            .map(this::task)
            .toList());
    page.nextAfter().ifPresent(next -> listed.put("nextCursor", next));
    return listed;
  }

  private Map<String, Object> cancel(Object taskId) {
    Instance instance = instance(taskId);
    if (!instance.isTerminal()) {
      try {
        instance = cancel.cancel(new CancelInstanceCommand(instance.id())).instance();
      } catch (IllegalTransitionException e) {
        // It ended by itself in the meantime.
        instance = instance(taskId);
      }
      if (instance.state() == InstanceState.CANCELLED) {
        return task(instance);
      }
    }
    throw invalid(
        "Cannot cancel task: already in terminal status '%s'".formatted(status(instance.state())));
  }

  private Instance instance(Object taskId) {
    if (!(taskId instanceof String text)) {
      throw invalid("taskId must be a string");
    }
    try {
      Instance instance = get.get(new GetInstanceQuery(new InstanceId(text))).instance();
      if (instance.mode() == ToolMode.TASK) {
        return instance;
      }
    } catch (InstanceNotFoundException | ValidationException e) {
      // Answered below, as for a service instance: it is no task.
    }
    throw invalid("Failed to retrieve task: Task not found (" + abbreviate(text) + ")");
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }

  private static Object taskId(Map<String, Object> params) {
    return params.get("taskId");
  }

  /** The MCP task that {@code instance} is. */
  Map<String, Object> task(Instance instance) {
    List<StateChange> history = instance.history();
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("taskId", instance.id().value());
    task.put("status", status(instance.state()));
    task.put("statusMessage", statusMessage(instance));
    task.put("createdAt", history.get(0).at().toString());
    task.put("lastUpdatedAt", history.get(history.size() - 1).at().toString());
    task.put("ttl", ttl.toMillis());
    task.put("pollInterval", pollInterval.toMillis());
    return task;
  }

  private static String statusMessage(Instance instance) {
    String state = "instance " + instance.id().value() + " is " + instance.state().name();
    return instance.failure().map(f -> state + ": " + f.message()).orElse(state);
  }

  /** The task status of an instance state; toolrun never needs input from the client. */
  static String status(InstanceState state) {
    return switch (state) {
      case PENDING, CREATING, STARTING, RUNNING, SERVING, STOPPING -> "working";
      case SUCCEEDED -> "completed";
      case FAILED, TIMED_OUT -> "failed";
      case CANCELLED, STOPPED -> "cancelled";
    };
  }

  private static McpError invalid(String message) {
    return McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(message).build();
  }

  private static Throwable toMcpError(Throwable e) {
    return ToolCalls.toMcpError(e);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
  }
}
