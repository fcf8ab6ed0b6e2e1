package dev.toolrun.adapter.logfile;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.ports.out.LogStore;

/** Binds the {@link LogStore} to the file store, which keeps whole logs on disk. */
public final class FileLogStoreModule extends AbstractModule {
  private final FileLogStoreConfig config;

  /** A module whose log store keeps what {@code config} says, where it says. */
  public FileLogStoreModule(FileLogStoreConfig config) {
    this.config = requireNonNull(config, "config is null");
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
  static LogStore logStore(FileLogStore store) {
    return store;
  }
}
