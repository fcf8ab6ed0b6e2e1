package dev.toolrun.adapter.http.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.adapter.http.HttpMetrics;
import dev.toolrun.adapter.http.contract.ApiOperation;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.ports.in.CheckReadinessUseCase.Readiness;
import dev.toolrun.ports.in.DescribeRuntimeUseCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiRouterTest {
  @Test
  void everyApiOperationIsBoundToExactlyOneEndpoint() {
    Map<ApiOperation, Endpoint> bound = ApiRouter.bind(routeGroups());

    assertThat(bound).containsOnlyKeys(ApiOperation.values());
  }

  @Test
  void bindingRefusesAMissingOrDoubleEndpoint() {
    List<Map<ApiOperation, Endpoint>> missing = routeGroups();
    missing.remove(missing.size() - 1);
    List<Map<ApiOperation, Endpoint>> twice = routeGroups();
    twice.add(new HealthRoutes(() -> Readiness.READY).endpoints());

    assertThatThrownBy(() -> ApiRouter.bind(missing))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GET_API_DOCUMENT");
    assertThatThrownBy(() -> ApiRouter.bind(twice))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("bound twice");
  }

  private static List<Map<ApiOperation, Endpoint>> routeGroups() {
    DescribeRuntimeUseCase describe =
        () -> {
          throw ValidationException.of("x", "not called");
        };
    List<Map<ApiOperation, Endpoint>> groups = new ArrayList<>();
    groups.add(new ToolRoutes(c -> null, q -> null, q -> null, q -> null, c -> {}).endpoints());
    groups.add(
        new InstanceRoutes(
                c -> null, q -> null, q -> null, c -> null, c -> null, q -> null, q -> null,
                q -> null)
            .endpoints());
    groups.add(new ServiceRoutes(c -> null).endpoints());
    groups.add(new RuntimeRoutes(describe, c -> null).endpoints());
    groups.add(new HealthRoutes(() -> Readiness.READY).endpoints());
    groups.add(new MetricsRoutes(HttpMetrics.none()).endpoints());
    groups.add(new ContractRoutes(new byte[0]).endpoints());
    return groups;
  }
}
