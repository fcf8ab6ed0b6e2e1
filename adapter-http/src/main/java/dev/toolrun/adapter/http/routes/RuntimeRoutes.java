package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.toolrun.adapter.http.contract.ApiOperation;
import dev.toolrun.adapter.http.mapping.RuntimeMapper;
import dev.toolrun.ports.in.DescribeRuntimeUseCase;
import java.util.Map;

/** {@code /v1/runtime}: what the active runtime can do. */
public final class RuntimeRoutes extends Routes {
  private final DescribeRuntimeUseCase describe;

  /** Routes answering with {@code describe}'s description. */
  @Inject
  public RuntimeRoutes(DescribeRuntimeUseCase describe) {
    this.describe = requireNonNull(describe, "describe is null");
  }

  @Override
  Map<ApiOperation, Endpoint> endpoints() {
    return Map.of(ApiOperation.GET_RUNTIME_CAPABILITIES, Endpoint.blocking(this::capabilities));
  }

  private Reply capabilities(ApiRequest request) {
    return Reply.ok(RuntimeMapper.toResponse(describe.describe()));
  }
}
