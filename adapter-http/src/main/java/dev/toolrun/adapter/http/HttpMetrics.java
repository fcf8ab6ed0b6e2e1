package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.util.function.Supplier;

/**
 * What the HTTP adapter measures and serves: the registry it counts on (connections its guard
 * closes), and the exposition {@code /metrics} answers with, which the app takes from the metrics
 * adapter (adapters do not see each other).
 *
 * @param registry where the adapter counts; Micrometer is only a facade here
 * @param contentType the media type of {@code scrape}'s text
 * @param scrape every metric, as {@code contentType}; read on each request to {@code /metrics}
 * @param requireToken whether {@code /metrics} wants the API's bearer token (when there is one)
 */
public record HttpMetrics(
    MeterRegistry registry, String contentType, Supplier<String> scrape, boolean requireToken) {
  public HttpMetrics {
    requireNonNull(registry, "registry is null");
    requireNonNull(contentType, "contentType is null");
    requireNonNull(scrape, "scrape is null");
  }

  /** Measures nothing; {@code /metrics} answers an empty exposition. */
  public static HttpMetrics none() {
    return new HttpMetrics(
        new CompositeMeterRegistry(), "text/plain; version=0.0.4; charset=utf-8", () -> "", false);
  }
}
