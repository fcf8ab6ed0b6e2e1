package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Clock;

/**
 * Binds the in-memory runtime and repositories: toolrun with no cluster. Needs a {@link LogStore}
 * (see {@link InMemoryLogStoreModule}) and a {@link Clock} bound elsewhere. The one resource it
 * opens is the runtime's scheduler: the app closes the {@link InMemoryWorkloadRuntime} it binds.
 */
public final class InMemoryAdapterModule extends AbstractModule {
  private final InMemoryRuntimeConfig config;

  /** A module whose runtime paces its runs as {@code config} says. */
  public InMemoryAdapterModule(InMemoryRuntimeConfig config) {
    this.config = requireNonNull(config, "config is null");
  }

  @Override
  protected void configure() {
    bind(InMemoryRuntimeConfig.class).toInstance(config);
    bind(WorkloadRuntime.class).to(InMemoryWorkloadRuntime.class);
  }

  @Provides
  @Singleton
  static ToolRepository toolRepository() {
    return new InMemoryToolRepository();
  }

  @Provides
  @Singleton
  static InstanceRepository instanceRepository() {
    return new InMemoryInstanceRepository();
  }

  @Provides
  @Singleton
  static InMemoryWorkloadRuntime inMemoryWorkloadRuntime(
      LogStore logs, InMemoryRuntimeConfig config, Clock clock) {
    return new InMemoryWorkloadRuntime(logs, config, clock);
  }
}
