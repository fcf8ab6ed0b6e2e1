package dev.toolrun.adapter.http.routes;

import com.google.inject.Inject;
import dev.toolrun.adapter.http.contract.ApiOperation;
import dev.toolrun.adapter.http.dto.HealthResponse;
import java.util.Map;

/**
 * Liveness and readiness. Both answer UP as long as the server answers at all: the API starts
 * listening only once the application has started, and a use case that fails later reports its own
 * error on the request that hit it.
 */
public final class HealthRoutes extends Routes {

  /** Health endpoints that need no use case. */
  @Inject
  public HealthRoutes() {}

  @Override
  Map<ApiOperation, Endpoint> endpoints() {
    return Map.of(
        ApiOperation.GET_LIVENESS, Endpoint.immediate(request -> Reply.ok(HealthResponse.UP)),
        ApiOperation.GET_READINESS, Endpoint.immediate(request -> Reply.ok(HealthResponse.UP)));
  }
}
