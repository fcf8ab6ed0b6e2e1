package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.ToolRepository;

/**
 * Binds {@link ToolRepository}, {@link InstanceRepository} and {@link LogStore} to their in-memory
 * adapters.
 */
public final class InMemoryStorageModule extends AbstractModule {
  private final InMemoryStorageConfig config;

  /** A module whose log store keeps what {@code config} allows. */
  public InMemoryStorageModule(InMemoryStorageConfig config) {
    this.config = requireNonNull(config, "config is null");
  }

  @Override
  protected void configure() {
    bind(InMemoryStorageConfig.class).toInstance(config);
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
  static LogStore logStore(InMemoryStorageConfig config) {
    return new InMemoryLogStore(config.maxLogLinesPerInstance(), config.maxLogLineLength());
  }
}
