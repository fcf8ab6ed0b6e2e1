package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.toolrun.adapter.http.HttpMetrics;
import dev.toolrun.adapter.http.contract.ApiOperation;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code /metrics}: the exposition the metrics adapter writes, as it is at the request. Whether it
 * wants the token is {@link dev.toolrun.adapter.http.auth.BearerAuthenticator}'s to decide.
 */
public final class MetricsRoutes extends Routes {
  private final HttpMetrics metrics;

  @Inject
  public MetricsRoutes(HttpMetrics metrics) {
    this.metrics = requireNonNull(metrics, "metrics is null");
  }

  @Override
  Map<ApiOperation, Endpoint> endpoints() {
    // On a worker thread: a scrape walks every meter, which is not the event loop's work.
    return Map.of(
        ApiOperation.GET_METRICS,
        Endpoint.blocking(
            request ->
                Reply.bytes(
                    metrics.contentType(),
                    metrics.scrape().get().getBytes(StandardCharsets.UTF_8))));
  }
}
