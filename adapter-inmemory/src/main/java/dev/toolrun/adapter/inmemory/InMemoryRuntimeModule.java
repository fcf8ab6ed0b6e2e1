package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Clock;

/**
 * Binds {@link WorkloadRuntime}, and the {@link InMemoryWorkloadRuntime} behind it so its owner can
 * close it, from the bound {@link LogStore} and {@link Clock}, which other modules provide.
 */
public final class InMemoryRuntimeModule extends AbstractModule {
  private final InMemoryRuntimeConfig config;

  /** A module whose runtime paces its runs as {@code config} says. */
  public InMemoryRuntimeModule(InMemoryRuntimeConfig config) {
    this.config = requireNonNull(config, "config is null");
  }

  @Override
  protected void configure() {
    bind(InMemoryRuntimeConfig.class).toInstance(config);
  }

  @Provides
  @Singleton
  static InMemoryWorkloadRuntime inMemoryWorkloadRuntime(
      LogStore logs, InMemoryRuntimeConfig config, Clock clock) {
    return new InMemoryWorkloadRuntime(logs, config, clock);
  }

  @Provides
  @Singleton
  static WorkloadRuntime workloadRuntime(InMemoryWorkloadRuntime runtime) {
    return runtime;
  }
}
