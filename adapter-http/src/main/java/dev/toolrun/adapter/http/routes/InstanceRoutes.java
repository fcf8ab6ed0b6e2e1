package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.contract.ApiOperation;
import dev.toolrun.adapter.http.dto.LaunchRequest;
import dev.toolrun.adapter.http.error.ErrorResponder;
import dev.toolrun.adapter.http.error.ProblemException;
import dev.toolrun.adapter.http.mapping.InstanceMapper;
import dev.toolrun.adapter.http.mapping.LogMapper;
import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.ToolrunException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.CancelInstanceUseCase.CancelInstanceCommand;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceLogsUseCase.GetInstanceLogsQuery;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase.Launched;
import dev.toolrun.ports.in.ListInstancesUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase.StopInstanceCommand;
import dev.toolrun.ports.out.LogPage;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /v1/instances}: launching, reading and listing instances, cancelling tasks, stopping
 * services, and their logs.
 */
public final class InstanceRoutes extends Routes {
  public static final int DEFAULT_LOG_LIMIT = 1000;

  private final LaunchInstanceUseCase launch;
  private final GetInstanceUseCase get;
  private final ListInstancesUseCase list;
  private final CancelInstanceUseCase cancel;
  private final StopInstanceUseCase stop;
  private final GetInstanceLogsUseCase logs;

  /** Routes over the instance use cases. */
  public InstanceRoutes(
      LaunchInstanceUseCase launch,
      GetInstanceUseCase get,
      ListInstancesUseCase list,
      CancelInstanceUseCase cancel,
      StopInstanceUseCase stop,
      GetInstanceLogsUseCase logs) {
    this.launch = requireNonNull(launch, "launch is null");
    this.get = requireNonNull(get, "get is null");
    this.list = requireNonNull(list, "list is null");
    this.cancel = requireNonNull(cancel, "cancel is null");
    this.stop = requireNonNull(stop, "stop is null");
    this.logs = requireNonNull(logs, "logs is null");
  }

  @Override
  Map<ApiOperation, Endpoint> endpoints() {
    return Map.of(
        ApiOperation.LAUNCH_INSTANCE, Endpoint.blocking(this::launch),
        ApiOperation.LIST_INSTANCES, Endpoint.blocking(this::list),
        ApiOperation.GET_INSTANCE, Endpoint.blocking(this::get),
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
    return Reply.ok(InstanceMapper.toResponse(list.list(query)));
  }

  private Reply get(ApiRequest request) {
    InstanceId id = InstanceMapper.id(request.path("id"));
    return Reply.ok(InstanceMapper.toResponse(get.get(new GetInstanceQuery(id))));
  }

  private Reply cancel(ApiRequest request) {
    InstanceId id = InstanceMapper.id(request.path("id"));
    try {
      return Reply.ok(InstanceMapper.toResponse(cancel.cancel(new CancelInstanceCommand(id))));
    } catch (IllegalTransitionException e) {
      throw withHint(e, id, ToolMode.SERVICE, "services are stopped, not cancelled", "/stop");
    }
  }

  private Reply stop(ApiRequest request) {
    InstanceId id = InstanceMapper.id(request.path("id"));
    try {
      return Reply.ok(InstanceMapper.toResponse(stop.stop(new StopInstanceCommand(id))));
    } catch (IllegalTransitionException e) {
      throw withHint(e, id, ToolMode.TASK, "tasks are cancelled, not stopped", "/cancel");
    }
  }

  /**
   * {@code refused}, with a hint at the operation to use instead when the instance is of {@code
   * mode}: cancel and stop each refuse the other mode with the same error as an instance that has
   * ended, and only the mode tells the two apart.
   */
  private RuntimeException withHint(
      IllegalTransitionException refused,
      InstanceId id,
      ToolMode mode,
      String rule,
      String operation) {
    ToolMode actual;
    try {
      actual = get.get(new GetInstanceQuery(id)).instance().mode();
    } catch (ToolrunException lookupFailed) {
      // The hint is a courtesy; without it the refusal is still right.
      return refused;
    }
    if (actual != mode) {
      return refused;
    }
    String message =
        "%s: it is a %s, and %s (POST %s%s)"
            .formatted(
                refused.getMessage(),
                mode.name().toLowerCase(Locale.ROOT),
                rule,
                InstanceMapper.location(id),
                operation);
    return new ProblemException(ErrorResponder.domain(refused).withMessage(message));
  }

  private Reply logs(ApiRequest request) {
    InstanceId id = InstanceMapper.id(request.path("id"));
    long from = request.queryLong("from").orElse(0L);
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
}
