package dev.toolrun.adapter.metrics;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MicrometerMetricsOptions;

/**
 * What Vert.x measures of itself for toolrun: its HTTP servers, on {@link HttpServerMeters}, and
 * nothing else (its HTTP client is fabric8's, and toolrun counts its API requests itself).
 *
 * <p>One {@link HttpServerMeters} serves every server of the Vert.x, as Vert.x's own metrics share
 * their meters between servers: two servers' requests add up in the same series.
 */
final class VertxServerMetrics implements VertxMetrics {
  private final HttpServerMeters servers;

  VertxServerMetrics(MeterRegistry registry) {
    requireNonNull(registry, "registry is null");
    this.servers =
        new HttpServerMeters(registry, new MicrometerMetricsOptions().getMetricsNaming());
  }

  @Override
  public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(
      HttpServerOptions options, SocketAddress localAddress) {
    return servers;
  }

  @Override
  public boolean isMetricsEnabled() {
    return true;
  }
}
