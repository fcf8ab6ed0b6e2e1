package dev.toolrun.adapter.http.routes;

import dev.toolrun.adapter.http.contract.ApiOperation;
import java.util.Map;

/**
 * The endpoints of one resource of the API, each bound to its operation of the contract. Only the
 * route classes of this package are routes; {@link ApiRouter} binds them all.
 */
public abstract sealed class Routes
    permits ToolRoutes,
        InstanceRoutes,
        ServiceRoutes,
        RuntimeRoutes,
        HealthRoutes,
        MetricsRoutes,
        ContractRoutes {

  Routes() {}

  /** The endpoint of each operation this resource serves. */
  abstract Map<ApiOperation, Endpoint> endpoints();
}
