package dev.toolrun.adapter.metrics;

import static java.util.Objects.requireNonNull;

import dev.toolrun.ports.out.RunMetrics;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.metrics.MetricsOptions;
import java.util.Arrays;
import java.util.Optional;

/**
 * The metrics adapter's face, without Guice: one Prometheus registry that the core's {@link
 * RunMetrics}, the adapters that count (through Micrometer's {@link MeterRegistry}, a facade) and
 * Vert.x's HTTP server metrics all write to, and its exposition in Prometheus' text format.
 *
 * <p>Disabled, it hands out a registry that keeps nothing, {@link RunMetrics#NONE}, and a Vert.x
 * without metrics.
 */
public final class MetricsAdapter {
  /** The media type of {@link #scrape()}: Prometheus' text exposition format 0.0.4. */
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final Optional<PrometheusMeterRegistry> prometheus;
  private final MeterRegistry registry;
  private final RunMetrics runMetrics;

  private MetricsAdapter(Optional<PrometheusMeterRegistry> prometheus) {
    this.prometheus = prometheus;
    this.registry = prometheus.<MeterRegistry>map(r -> r).orElseGet(CompositeMeterRegistry::new);
    this.runMetrics = prometheus.<RunMetrics>map(MicrometerRunMetrics::new).orElse(RunMetrics.NONE);
  }

  /** The adapter {@code config} asks for. */
  public static MetricsAdapter create(MetricsConfig config) {
    requireNonNull(config, "config is null");
    if (!config.enabled()) {
      return new MetricsAdapter(Optional.empty());
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().meterFilter(RESPONSE_TIME_HISTOGRAM);
    return new MetricsAdapter(Optional.of(registry));
  }

  /**
   * Vert.x times its server's responses as a summary, which cannot be aggregated across replicas
   * nor give a quantile in PromQL: these buckets make it a histogram.
   */
  private static final MeterFilter RESPONSE_TIME_HISTOGRAM =
      new MeterFilter() {
        @Override
        public DistributionStatisticConfig configure(
            Meter.Id id, DistributionStatisticConfig config) {
          if (!id.getName().equals("vertx.http.server.response.time")) {
            return config;
          }
          return DistributionStatisticConfig.builder()
              .serviceLevelObjectives(
                  Arrays.stream(
                          new double[] {
                            0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
                          })
                      .map(seconds -> seconds * 1e9)
                      .toArray())
              .build()
              .merge(config);
        }
      };

  /** What the core tells; {@link RunMetrics#NONE} when disabled. */
  public RunMetrics runMetrics() {
    return runMetrics;
  }

  /** Where adapters count; keeps nothing when disabled. */
  public MeterRegistry registry() {
    return registry;
  }

  public boolean enabled() {
    return prometheus.isPresent();
  }

  /** Every meter now, in {@link #CONTENT_TYPE}; empty when disabled. */
  public String scrape() {
    return prometheus.map(PrometheusMeterRegistry::scrape).orElse("");
  }

  /**
   * A Vert.x with {@code options} that measures its HTTP servers on this registry (requests by
   * method, route template and status, with their time, as Vert.x Micrometer names them; see {@link
   * HttpServerMeters}), and nothing else of its own: its HTTP client (fabric8's) and pools are left
   * out, as toolrun counts its API requests itself.
   */
  public Vertx newVertx(VertxOptions options) {
    if (prometheus.isEmpty()) {
      return Vertx.vertx(options);
    }
    PrometheusMeterRegistry registry = prometheus.get();
    return Vertx.builder()
        .with(new VertxOptions(options).setMetricsOptions(new MetricsOptions().setEnabled(true)))
        .withMetrics(vertxOptions -> new VertxServerMetrics(registry))
        .build();
  }
}
