package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.toolrun.adapter.http.contract.ApiOperation;
import dev.toolrun.adapter.http.dto.HealthResponse;
import dev.toolrun.ports.in.CheckReadinessUseCase;
import dev.toolrun.ports.in.CheckReadinessUseCase.Readiness;
import java.util.Locale;
import java.util.Map;

/**
 * Liveness and readiness. Liveness answers UP as long as the server answers at all. Readiness
 * answers 503 DOWN, with the problems, while the core cannot do its work (the runtime knows it
 * cannot reach its cluster), so that a load balancer or a Kubernetes Service sends no one here;
 * both answer at once, from what the core already knows. Readiness stays UP, with warnings, while
 * the records in memory near their budget. Of several replicas each says its {@code role}: a
 * healthy standby is UP too (it refuses writes; the Service finds the leader by its pod's label).
 */
public final class HealthRoutes extends Routes {
  private final CheckReadinessUseCase readiness;

  @Inject
  public HealthRoutes(CheckReadinessUseCase readiness) {
    this.readiness = requireNonNull(readiness, "readiness is null");
  }

  @Override
  Map<ApiOperation, Endpoint> endpoints() {
    return Map.of(
        ApiOperation.GET_LIVENESS, Endpoint.immediate(request -> Reply.ok(HealthResponse.UP)),
        ApiOperation.GET_READINESS, Endpoint.immediate(request -> readiness()));
  }

  private Reply readiness() {
    Readiness now = readiness.check();
    // Warnings keep it ready: under memory pressure only launches are refused, while reads,
    // cancels and service requests go on, and there is no other replica to send launches to.
    String role = now.role().map(r -> r.name().toLowerCase(Locale.ROOT)).orElse(null);
    return now.ready()
        ? Reply.ok(HealthResponse.up(now.warnings(), role))
        : Reply.json(503, HealthResponse.down(now.problems(), now.warnings(), role));
  }
}
