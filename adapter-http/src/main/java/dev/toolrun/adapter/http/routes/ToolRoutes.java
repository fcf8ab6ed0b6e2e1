package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.toolrun.adapter.http.contract.ApiOperation;
import dev.toolrun.adapter.http.dto.ItemsResponse;
import dev.toolrun.adapter.http.dto.RegisterToolRequest;
import dev.toolrun.adapter.http.dto.ToolResponse;
import dev.toolrun.adapter.http.mapping.ToolMapper;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.DeleteToolUseCase;
import dev.toolrun.ports.in.DeleteToolUseCase.DeleteToolCommand;
import dev.toolrun.ports.in.GetToolUseCase;
import dev.toolrun.ports.in.GetToolUseCase.GetToolQuery;
import dev.toolrun.ports.in.ListToolVersionsUseCase;
import dev.toolrun.ports.in.ListToolVersionsUseCase.ListToolVersionsQuery;
import dev.toolrun.ports.in.ListToolsUseCase;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.in.RegisterToolUseCase.Registration;
import java.util.Map;
import java.util.Optional;

/** {@code /v1/tools}: registering, reading, listing and deleting tools. */
public final class ToolRoutes extends Routes {
  private final RegisterToolUseCase register;
  private final GetToolUseCase get;
  private final ListToolVersionsUseCase versions;
  private final ListToolsUseCase list;
  private final DeleteToolUseCase delete;

  /** Routes over the tool use cases. */
  @Inject
  public ToolRoutes(
      RegisterToolUseCase register,
      GetToolUseCase get,
      ListToolVersionsUseCase versions,
      ListToolsUseCase list,
      DeleteToolUseCase delete) {
    this.register = requireNonNull(register, "register is null");
    this.get = requireNonNull(get, "get is null");
    this.versions = requireNonNull(versions, "versions is null");
    this.list = requireNonNull(list, "list is null");
    this.delete = requireNonNull(delete, "delete is null");
  }

  @Override
  Map<ApiOperation, Endpoint> endpoints() {
    return Map.of(
        ApiOperation.REGISTER_TOOL, Endpoint.blocking(this::register),
        ApiOperation.LIST_TOOLS, Endpoint.blocking(this::list),
        ApiOperation.GET_TOOL, Endpoint.blocking(this::latest),
        ApiOperation.LIST_TOOL_VERSIONS, Endpoint.blocking(this::versions),
        ApiOperation.GET_TOOL_VERSION, Endpoint.blocking(this::version),
        ApiOperation.DELETE_TOOL, Endpoint.blocking(this::delete));
  }

  private Reply register(ApiRequest request) {
    var command =
        ToolMapper.toCommand(request.path("name"), request.body(RegisterToolRequest.class));
    Registration registration = register.register(command);
    ToolResponse body = ToolMapper.toResponse(registration.tool());
    return registration.created()
        ? Reply.json(201, body).withHeader("Location", ToolMapper.location(registration.tool()))
        : Reply.ok(body);
  }

  private Reply list(ApiRequest request) {
    var query = ToolMapper.toListQuery(request.queryInt("limit"), request.query("cursor"));
    return Reply.ok(ToolMapper.toResponse(list.list(query)));
  }

  private Reply latest(ApiRequest request) {
    ToolName name = ToolMapper.name(request.path("name"));
    return Reply.ok(ToolMapper.toResponse(get.get(new GetToolQuery(name, Optional.empty()))));
  }

  private Reply versions(ApiRequest request) {
    ToolName name = ToolMapper.name(request.path("name"));
    var all = versions.versions(new ListToolVersionsQuery(name));
    return Reply.ok(new ItemsResponse<>(all.stream().map(ToolMapper::toResponse).toList()));
  }

  private Reply version(ApiRequest request) {
    ToolName name = ToolMapper.name(request.path("name"));
    Tool tool = get.get(new GetToolQuery(name, Optional.of(request.pathInt("version"))));
    return Reply.ok(ToolMapper.toResponse(tool));
  }

  private Reply delete(ApiRequest request) {
    delete.delete(new DeleteToolCommand(ToolMapper.name(request.path("name"))));
    return Reply.noContent();
  }
}
