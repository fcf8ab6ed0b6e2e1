package dev.toolrun.adapter.mcp.call;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.mcp.secret.ServerSecrets;
import dev.toolrun.adapter.mcp.transport.VertxStreamableServerTransportProvider;
import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.ToolNotFoundException;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.CancelInstanceUseCase.CancelInstanceCommand;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import dev.toolrun.ports.out.Backoff;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpAsyncServerExchange;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Runs MCP tool calls as toolrun instances: a call launches an instance through the same use case
 * as {@code POST /v1/instances} (same validation, same capacity queue), follows it to its end and
 * answers with its outcome.
 *
 * <p>No port tells an adapter when an instance changes state, so a call reads its instance: soon
 * after the launch, then less and less often, down to one read per {@code pollInterval} (on the
 * blocking scheduler; nothing spins). Arguments the launch refuses are a tool execution error that
 * lists the violations, so that the model can correct its call (SEP-1303). Each change of state is
 * reported as {@code notifications/progress} when the client sent a progress token. A client's
 * {@code notifications/cancelled} cancels the instance; a client that goes away does not: the run
 * goes on and its record stays readable.
 *
 * <p>A tool's secret inputs come from the server's configuration ({@link ServerSecrets}), never
 * from the model: arguments that name one are refused, and a tool whose secret inputs are not all
 * configured is not callable (and not listed).
 */
public final class ToolCalls {
  private static final Logger LOG = System.getLogger(ToolCalls.class.getName());

  /** Progress goes from 0 (waiting) to this (ended), one step per lifecycle stage. */
  static final double STAGES = 4;

  /** The first wait between two reads of a call's instance; see {@link #ended}. */
  static final long FIRST_READ_AFTER_MS = 5;

  /** The field of a launch's parameters in violations; the call's arguments are its parameters. */
  private static final String PARAMETERS = "parameters";

  private final LaunchInstanceUseCase launch;
  private final GetInstanceUseCase get;
  private final CancelInstanceUseCase cancel;
  private final CallResults results;
  private final ServerSecrets secrets;
  private final InFlightCalls inFlight;
  private final Duration pollInterval;
  private final Scheduler blocking;
  private final Set<String> reportedUncallable = ConcurrentHashMap.newKeySet();

  /**
   * @param pollInterval how often a call reads its instance while it runs
   * @param blocking where use cases run; they may block
   */
  public ToolCalls(
      LaunchInstanceUseCase launch,
      GetInstanceUseCase get,
      CancelInstanceUseCase cancel,
      GetInstanceLogsUseCase logs,
      ServerSecrets secrets,
      McpJsonMapper json,
      Duration pollInterval,
      Scheduler blocking) {
    this.launch = requireNonNull(launch, "launch is null");
    this.get = requireNonNull(get, "get is null");
    this.cancel = requireNonNull(cancel, "cancel is null");
    this.results = new CallResults(requireNonNull(logs, "logs is null"), json);
    this.secrets = requireNonNull(secrets, "secrets is null");
    this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
    this.blocking = requireNonNull(blocking, "blocking is null");
    this.inFlight = new InFlightCalls(this::cancelLater);
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
    }
  }

  /**
   * Whether MCP clients may call {@code tool}: every secret input it declares is configured. The
   * first time a version is not, a log line names the missing configuration keys (never a value),
   * so an operator learns why it is not listed.
   */
  public boolean callable(Tool tool) {
    List<String> unbound = secrets.unbound(tool);
    if (unbound.isEmpty()) {
      return true;
    }
    if (reportedUncallable.add(tool.name().value() + " " + tool.version())) {
      // INFO, not WARNING: a tool with secrets may be meant for REST only.
      LOG.log(
          Level.INFO,
          "tool {0} is not offered over MCP: its secret inputs {1} are not configured (set {2})",
          tool.name().value(),
          unbound,
          unbound.stream().map(name -> ServerSecrets.key(tool, name)).toList());
    }
    return false;
  }

  /**
   * Calls {@code tool} (the version the client was shown) with the request's arguments and answers
   * once its instance ended.
   */
  public Mono<McpSchema.CallToolResult> call(
      McpAsyncServerExchange exchange, Tool tool, McpSchema.CallToolRequest request) {
    Object progressToken = request.progressToken();
    Optional<InFlightCalls.Call> call =
        inFlight.open(
            (String)
                exchange.transportContext().get(VertxStreamableServerTransportProvider.SESSION_ID),
            exchange.transportContext().get(VertxStreamableServerTransportProvider.REQUEST_ID));
    return Mono.fromCallable(() -> launch(tool, request.arguments()))
        .subscribeOn(blocking)
        .doOnNext(id -> call.ifPresent(c -> c.launched(id)))
        .flatMap(id -> ended(id, instance -> progress(exchange, progressToken, instance)))
        .flatMap(ended -> result(ended, Map.of()))
        .onErrorResume(ValidationException.class, e -> Mono.just(invalidArguments(e)))
        .onErrorMap(ToolCalls::toMcpError)
        .doFinally(signal -> call.ifPresent(InFlightCalls.Call::close));
  }

  /** The client of {@code sessionId} cancelled its request {@code requestId}. */
  public void cancelled(String sessionId, Object requestId) {
    inFlight.cancelled(sessionId, requestId);
  }

  /**
   * Launches {@code tool}'s version with {@code arguments} and the secrets the server holds for it,
   * through the same use case as REST; blocks.
   *
   * @throws ValidationException when the arguments break the tool's input schema or name a secret
   *     input
   * @throws McpError when a secret cannot be read
   */
  InstanceId launch(Tool tool, Map<String, Object> arguments) {
    Map<String, Object> given = arguments == null ? Map.of() : arguments;
    List<String> named =
        tool.spec().secretInputs().stream().filter(given::containsKey).sorted().toList();
    if (!named.isEmpty()) {
      throw new ValidationException(
          named.stream()
              .map(
                  name ->
                      new Violation(
                          name,
                          "is a secret input of tool %s: it comes from the server's configuration,"
                                  .formatted(tool.name().value())
                              + " never from arguments"))
              .toList());
    }
    LaunchInstanceCommand command =
        new LaunchInstanceCommand(
            tool.name(),
            Optional.of(tool.version()),
            new Parameters(given),
            secrets.valuesFor(tool),
            Optional.empty());
    return launch.launch(command).view().instance().id();
  }

  /**
   * {@code id}'s instance once it ended; {@code onChange} sees each new state on the way. It is
   * read at once, then after {@value #FIRST_READ_AFTER_MS} ms, and twice as long after each read up
   * to the poll interval: a run that ends in a few milliseconds is answered in a few milliseconds,
   * and a long one costs one read per interval.
   */
  Mono<Instance> ended(InstanceId id, Function<Instance, Mono<Void>> onChange) {
    return Flux.range(0, Integer.MAX_VALUE)
        .concatMap(
            n ->
                Mono.delay(delayBefore(n, pollInterval), blocking)
                    .then(Mono.fromCallable(() -> get.get(new GetInstanceQuery(id)))),
            1)
        .map(InstanceView::instance)
        .distinctUntilChanged(Instance::state)
        .concatMap(instance -> onChange.apply(instance).thenReturn(instance), 1)
        .takeUntil(Instance::isTerminal)
        .last();
  }

  /**
   * The wait before read {@code n} (from 0) of a call's instance: none, then toolrun's one backoff
   * rule, doubling up to the poll interval.
   */
  static Duration delayBefore(int n, Duration pollInterval) {
    if (n == 0) {
      return Duration.ZERO;
    }
    Duration first = Duration.ofMillis(FIRST_READ_AFTER_MS);
    return Backoff.doubling(first.compareTo(pollInterval) < 0 ? first : pollInterval, pollInterval)
        .delay(n - 1);
  }

  /**
   * Arguments the launch refused, as a tool execution error that lists every violation (MCP
   * 2025-11-25, SEP-1303): the model sees it and can correct its call, which it cannot do with a
   * JSON-RPC error that its client keeps to itself.
   */
  static McpSchema.CallToolResult invalidArguments(ValidationException invalid) {
    List<Map<String, String>> violations =
        invalid.violations().stream().map(ToolCalls::describe).toList();
    StringBuilder text = new StringBuilder("invalid arguments:");
    violations.forEach(
        v ->
            text.append("\n- ")
                .append(v.getOrDefault("pointer", v.get("field")))
                .append(": ")
                .append(v.get("message")));
    return McpSchema.CallToolResult.builder()
        .isError(true)
        .addTextContent(text.toString())
        .structuredContent(
            Map.of(
                "error",
                "VALIDATION_FAILED",
                "message",
                invalid.getMessage(),
                "violations",
                violations))
        .build();
  }

  /** The answer for {@code ended}, with {@code meta} added to its {@code _meta}. */
  Mono<McpSchema.CallToolResult> result(Instance ended, Map<String, Object> meta) {
    return Mono.fromCallable(() -> results.of(ended, meta)).subscribeOn(blocking);
  }

  private static Mono<Void> progress(
      McpAsyncServerExchange exchange, Object token, Instance instance) {
    if (token == null) {
      return Mono.empty();
    }
    McpSchema.ProgressNotification notification =
        new McpSchema.ProgressNotification(
            token,
            stage(instance.state()),
            STAGES,
            "instance " + instance.id() + " is " + instance.state());
    return exchange.progressNotification(notification).onErrorResume(e -> Mono.empty());
  }

  static double stage(InstanceState state) {
    if (state.isTerminal()) {
      return STAGES;
    }
    return switch (state) {
      case PENDING -> 0;
      case CREATING -> 1;
      case STARTING -> 2;
      default -> 3;
    };
  }

  private void cancelLater(InstanceId id) {
    Mono.fromRunnable(() -> cancel.cancel(new CancelInstanceCommand(id)))
        .subscribeOn(blocking)
        .subscribe(
            null,
            e -> {
              // It ended by itself first: nothing to cancel.
              if (!(e instanceof IllegalTransitionException)) {
                LOG.log(Level.WARNING, "could not cancel instance " + id, e);
              }
            });
  }

  /**
   * A violation as the error's data: its field as toolrun names it everywhere, and for one in the
   * parameters also a JSON pointer into the call's arguments (which are the parameters), e.g.
   * {@code parameters/name} and {@code /name}.
   */
  private static Map<String, String> describe(Violation violation) {
    String field = violation.field();
    if (field.equals(PARAMETERS) || field.startsWith(PARAMETERS + "/")) {
      return Map.of(
          "field",
          field,
          "pointer",
          field.substring(PARAMETERS.length()),
          "message",
          violation.message());
    }
    return Map.of("field", field, "message", violation.message());
  }

  /**
   * Toolrun's refusals as JSON-RPC errors, where no tool result can carry them (a task-augmented
   * call whose task is never made); anything else is an internal error.
   */
  static Throwable toMcpError(Throwable e) {
    if (e instanceof McpError) {
      return e;
    }
    if (e instanceof ValidationException invalid) {
      return McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS)
          .message("invalid arguments: " + invalid.getMessage())
          .data(invalid.violations().stream().map(ToolCalls::describe).toList())
          .build();
    }
    if (e instanceof ToolNotFoundException || e instanceof InstanceNotFoundException) {
      return McpError.builder(McpSchema.ErrorCodes.INVALID_PARAMS).message(e.getMessage()).build();
    }
    LOG.log(Level.WARNING, "a tool call failed", e);
    return McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
        .message(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
        .build();
  }
}
