package dev.toolrun.adapter.logfile;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.ports.out.LogStore;
import java.util.function.UnaryOperator;

/** Binds the {@link LogStore} to the file store, which keeps whole logs on disk. */
public final class FileLogStoreModule extends AbstractModule {
  private final FileLogStoreConfig config;
  private final UnaryOperator<LogStore> decoration;

  /** A module whose log store keeps what {@code config} says, where it says. */
  public FileLogStoreModule(FileLogStoreConfig config) {
    this(config, UnaryOperator.identity());
  }

  /**
   * A module whose log store keeps what {@code config} says, and is written and read through {@code
   * decoration} (e.g. the application's {@code LiveLogs::over}, which wakes followers).
   */
  public FileLogStoreModule(FileLogStoreConfig config, UnaryOperator<LogStore> decoration) {
    this.config = requireNonNull(config, "config is null");
    this.decoration = requireNonNull(decoration, "decoration is null");
  }

  @Override
  protected void configure() {
    bind(FileLogStoreConfig.class).toInstance(config);
  }

  @Provides
  @Singleton
  static FileLogStore fileLogStore(FileLogStoreConfig config) {
    return new FileLogStore(config);
  }

  @Provides
  @Singleton
  LogStore logStore(FileLogStore store) {
    return decoration.apply(store);
  }
}
