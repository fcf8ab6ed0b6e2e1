package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.toolrun.adapter.http.contract.ApiOperation;
import dev.toolrun.adapter.http.dto.LaunchRequest;
import dev.toolrun.adapter.http.error.ErrorResponder;
import dev.toolrun.adapter.http.error.ProblemException;
import dev.toolrun.adapter.http.mapping.InstanceBodies;
import dev.toolrun.adapter.http.mapping.InstanceMapper;
import dev.toolrun.adapter.http.mapping.LogMapper;
import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.ToolrunException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.CancelInstanceUseCase.CancelInstanceCommand;
import dev.toolrun.ports.in.FollowInstanceLogsUseCase;
import dev.toolrun.ports.in.FollowInstanceLogsUseCase.FollowInstanceLogsQuery;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceLogsUseCase.GetInstanceLogsQuery;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase.Launched;
import dev.toolrun.ports.in.ListInstancesUseCase;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.in.StopInstanceUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase.StopInstanceCommand;
import dev.toolrun.ports.in.WatchInstancesUseCase;
import dev.toolrun.ports.in.WatchInstancesUseCase.WatchInstancesQuery;
import dev.toolrun.ports.out.LogPage;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /v1/instances}: launching, reading and listing instances, cancelling tasks, stopping
 * services, and their logs. With {@code Accept: text/event-stream} the list is a watch of the
 * instances and a log is followed, as event streams.
 */
public final class InstanceRoutes extends Routes {
  private static final int DEFAULT_LOG_LIMIT = 1000;
  private static final Hint STOP_INSTEAD =
      new Hint(ToolMode.SERVICE, "services are stopped, not cancelled", "/stop");
  private static final Hint CANCEL_INSTEAD =
      new Hint(ToolMode.TASK, "tasks are cancelled, not stopped", "/cancel");

  private final LaunchInstanceUseCase launch;
  private final GetInstanceUseCase get;
  private final ListInstancesUseCase list;
  private final CancelInstanceUseCase cancel;
  private final StopInstanceUseCase stop;
  private final GetInstanceLogsUseCase logs;
  private final FollowInstanceLogsUseCase follow;
  private final WatchInstancesUseCase watch;
  private final InstanceBodies bodies = new InstanceBodies();

  /** Routes over the instance use cases. */
  @Inject
  public InstanceRoutes(
      LaunchInstanceUseCase launch,
      GetInstanceUseCase get,
      ListInstancesUseCase list,
      CancelInstanceUseCase cancel,
      StopInstanceUseCase stop,
      GetInstanceLogsUseCase logs,
      FollowInstanceLogsUseCase follow,
      WatchInstancesUseCase watch) {
    this.launch = requireNonNull(launch, "launch is null");
    this.get = requireNonNull(get, "get is null");
    this.list = requireNonNull(list, "list is null");
    this.cancel = requireNonNull(cancel, "cancel is null");
    this.stop = requireNonNull(stop, "stop is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.follow = requireNonNull(follow, "follow is null");
    this.watch = requireNonNull(watch, "watch is null");
  }

  @Override
  Map<ApiOperation, Endpoint> endpoints() {
    return Map.of(
        ApiOperation.LAUNCH_INSTANCE, Endpoint.blocking(this::launch),
        ApiOperation.LIST_INSTANCES, Endpoint.blocking(this::list),
        ApiOperation.GET_INSTANCE, Endpoint.blockingWhen(get::getMayBlock, this::get),
        ApiOperation.CANCEL_INSTANCE, Endpoint.blocking(this::cancel),
        ApiOperation.STOP_INSTANCE, Endpoint.blocking(this::stop),
        ApiOperation.GET_INSTANCE_LOGS, Endpoint.blocking(this::logs));
  }

  private Reply launch(ApiRequest request) {
    var command =
        InstanceMapper.toCommand(
            request.body(LaunchRequest.class), request.header("Idempotency-Key"));
    Launched launched = launch.launch(command);
    var body = InstanceMapper.toResponse(launched.view());
    return launched.replayed()
        ? Reply.ok(body).withHeader("Idempotency-Replayed", "true")
        : Reply.json(201, body)
            .withHeader("Location", InstanceMapper.location(launched.view().instance()));
  }

  private Reply list(ApiRequest request) {
    var query =
        InstanceMapper.toListQuery(
            request.query("tool"),
            request.queryList("state"),
            request.queryInt("limit"),
            request.query("cursor"));
    if (request.wantsEvents()) {
      return watch(query);
    }
    return Reply.ok(InstanceMapper.toResponse(list.list(query)));
  }

  // A watch takes the list's filters; limit and cursor, which page a list, mean nothing to it.
  private Reply watch(ListInstancesQuery query) {
    return Reply.events(
        InstanceStreams.watch(watch.watch(new WatchInstancesQuery(query.filter()))));
  }

  private Reply get(ApiRequest request) {
    InstanceId id = InstanceMapper.id(request.path("id"));
    return Reply.okJson(bodies.json(get.get(new GetInstanceQuery(id))));
  }

  private Reply cancel(ApiRequest request) {
    return transition(request, id -> cancel.cancel(new CancelInstanceCommand(id)), STOP_INSTEAD);
  }

  private Reply stop(ApiRequest request) {
    return transition(request, id -> stop.stop(new StopInstanceCommand(id)), CANCEL_INSTEAD);
  }

  /**
   * Moves the instance in the path on by {@code move}. Cancel and stop each refuse the other mode
   * with the same error as an instance that has ended, and only the mode tells the two apart; so
   * the refusal of an instance of the {@code hint}'s mode gets a hint at the operation to use.
   */
  private Reply transition(ApiRequest request, Function<InstanceId, InstanceView> move, Hint hint) {
    InstanceId id = InstanceMapper.id(request.path("id"));
    try {
      return Reply.ok(InstanceMapper.toResponse(move.apply(id)));
    } catch (IllegalTransitionException refused) {
      throw withHint(refused, id, hint);
    }
  }

  /**
   * {@code refused}, with {@code hint} when the instance is of the hint's mode, or else, when it
   * has ended, with the news that its outcome is final.
   */
  private RuntimeException withHint(IllegalTransitionException refused, InstanceId id, Hint hint) {
    ToolMode actual;
    try {
      actual = get.get(new GetInstanceQuery(id)).instance().mode();
    } catch (ToolrunException lookupFailed) {
      // The hint is a courtesy; without it the refusal is still right.
      return refused;
    }
    String message;
    if (actual == hint.mode()) {
      message =
          "%s: it is a %s, and %s (POST %s%s)"
              .formatted(
                  refused.getMessage(),
                  hint.mode().name().toLowerCase(Locale.ROOT),
                  hint.rule(),
                  InstanceMapper.location(id),
                  hint.operation());
    } else if (refused.from().isTerminal()) {
      message =
          "%s: it has already ended %s, and that outcome is final"
              .formatted(refused.getMessage(), refused.from());
    } else {
      return refused;
    }
    return new ProblemException(ErrorResponder.domain(refused).withMessage(message));
  }

  private Reply logs(ApiRequest request) {
    InstanceId id = InstanceMapper.id(request.path("id"));
    long from = request.queryLong("from").orElse(0L);
    if (request.wantsEvents()) {
      // A client that reconnects sends the id of the last line it got, and resumes after it.
      long start = request.header("Last-Event-ID").map(LogMapper::resumeAfter).orElse(from);
      return Reply.events(
          InstanceStreams.logs(follow.follow(new FollowInstanceLogsQuery(id, start))));
    }
    LogPage page =
        logs.logs(
            new GetInstanceLogsQuery(
                id, from, request.queryInt("limit").orElse(DEFAULT_LOG_LIMIT)));
    if (request.prefersText()) {
      return Reply.text(LogMapper.toText(page, from))
          .withHeader("Toolrun-Next-From", Long.toString(page.nextLine()))
          .withHeader("Toolrun-Log-Complete", Boolean.toString(page.complete()));
    }
    return Reply.ok(LogMapper.toResponse(page));
  }

  /**
   * What to tell a client whose instance of {@code mode} was refused a transition: the {@code rule}
   * and the {@code operation} (a path below the instance's) to use instead.
   */
  private record Hint(ToolMode mode, String rule, String operation) {}
}
