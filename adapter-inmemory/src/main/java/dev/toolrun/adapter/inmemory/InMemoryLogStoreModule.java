package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.ports.out.LogStore;
import java.util.function.UnaryOperator;

/**
 * Binds the {@link LogStore} to the bounded in-memory one. Every runtime uses it: live output is
 * kept in memory, and what must outlive toolrun (a finished instance's log tail) is kept with the
 * instance's record.
 */
public final class InMemoryLogStoreModule extends AbstractModule {
  private final InMemoryStorageConfig config;
  private final UnaryOperator<LogStore> decoration;

  /** A module whose log store keeps what {@code config} allows. */
  public InMemoryLogStoreModule(InMemoryStorageConfig config) {
    this(config, UnaryOperator.identity());
  }

  /**
   * A module whose log store keeps what {@code config} allows, and is written and read through
   * {@code decoration} (e.g. the application's {@code LiveLogs::over}, which wakes followers).
   */
  public InMemoryLogStoreModule(InMemoryStorageConfig config, UnaryOperator<LogStore> decoration) {
    this.config = requireNonNull(config, "config is null");
    this.decoration = requireNonNull(decoration, "decoration is null");
  }

  @Override
  protected void configure() {
    bind(InMemoryStorageConfig.class).toInstance(config);
  }

  @Provides
  @Singleton
  LogStore logStore(InMemoryStorageConfig config) {
    return decoration.apply(
        new InMemoryLogStore(config.maxLogLinesPerInstance(), config.maxLogLineLength()));
  }
}
