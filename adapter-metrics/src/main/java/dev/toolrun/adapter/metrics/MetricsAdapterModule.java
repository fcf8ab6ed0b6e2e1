package dev.toolrun.adapter.metrics;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import dev.toolrun.ports.out.RunMetrics;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Binds the metrics adapter ({@link MetricsAdapter}), the core's {@link RunMetrics} and the {@link
 * MeterRegistry} the adapters count on. Starts nothing: the exposition is read on each scrape.
 */
public final class MetricsAdapterModule extends AbstractModule {
  private final MetricsAdapter adapter;

  /** A module over {@code adapter}, which the app also hands to the HTTP adapter's exposition. */
  public MetricsAdapterModule(MetricsAdapter adapter) {
    this.adapter = requireNonNull(adapter, "adapter is null");
  }

  @Override
  protected void configure() {
    bind(MetricsAdapter.class).toInstance(adapter);
    bind(RunMetrics.class).toInstance(adapter.runMetrics());
    bind(MeterRegistry.class).toInstance(adapter.registry());
  }
}
