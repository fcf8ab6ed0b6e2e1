package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.toolrun.adapter.http.contract.ApiOperation;
import dev.toolrun.adapter.http.dto.ResizePoolRequest;
import dev.toolrun.adapter.http.mapping.RuntimeMapper;
import dev.toolrun.adapter.http.mapping.ToolMapper;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.ports.in.DescribeRuntimeUseCase;
import dev.toolrun.ports.in.ResizePoolUseCase;
import dev.toolrun.ports.in.ResizePoolUseCase.ResizePoolCommand;
import java.util.Map;

/** {@code /v1/runtime}: what the active runtime can do, and its warm pools' sizes. */
public final class RuntimeRoutes extends Routes {
  private final DescribeRuntimeUseCase describe;
  private final ResizePoolUseCase resize;

  /** Routes answering with {@code describe}'s description and resizing through {@code resize}. */
  @Inject
  public RuntimeRoutes(DescribeRuntimeUseCase describe, ResizePoolUseCase resize) {
    this.describe = requireNonNull(describe, "describe is null");
    this.resize = requireNonNull(resize, "resize is null");
  }

  @Override
  Map<ApiOperation, Endpoint> endpoints() {
    return Map.of(
        ApiOperation.GET_RUNTIME_CAPABILITIES, Endpoint.blocking(this::capabilities),
        ApiOperation.RESIZE_POOL, Endpoint.blocking(this::resize));
  }

  private Reply capabilities(ApiRequest request) {
    return Reply.ok(RuntimeMapper.toResponse(describe.describe()));
  }

  private Reply resize(ApiRequest request) {
    ResizePoolRequest body = request.body(ResizePoolRequest.class);
    if (body.size() == null) {
      // The contract requires it; this keeps a body the validator let through from a 500.
      throw ValidationException.of("size", "is required");
    }
    var command = new ResizePoolCommand(ToolMapper.name(request.path("tool")), body.size());
    return Reply.ok(RuntimeMapper.toResponse(resize.resize(command)));
  }
}
