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
import java.util.function.UnaryOperator;

/**
 * Binds every driven port to the parts of one {@link InMemoryAdapter}: toolrun with no cluster.
 * Needs a {@link Clock} bound elsewhere. The adapter is the one object that owns what the parts
 * open (the runtime's scheduler): the app closes it at shutdown.
 */
public final class InMemoryAdapterModule extends AbstractModule {
  private final InMemoryRuntimeConfig runtime;
  private final InMemoryStorageConfig storage;
  private final UnaryOperator<LogStore> logDecoration;

  /**
   * A module whose runtime paces its runs as {@code runtime} says, and keeps logs as {@code
   * storage} allows.
   */
  public InMemoryAdapterModule(InMemoryRuntimeConfig runtime, InMemoryStorageConfig storage) {
    this(runtime, storage, UnaryOperator.identity());
  }

  /** The same, with the runtime writing logs through {@code logDecoration} (see the builder). */
  public InMemoryAdapterModule(
      InMemoryRuntimeConfig runtime,
      InMemoryStorageConfig storage,
      UnaryOperator<LogStore> logDecoration) {
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.storage = requireNonNull(storage, "storage is null");
    this.logDecoration = requireNonNull(logDecoration, "logDecoration is null");
  }

  @Override
  protected void configure() {}

  @Provides
  @Singleton
  InMemoryAdapter adapter(Clock clock) {
    return InMemoryAdapter.builder()
        .runtimeConfig(runtime)
        .storageConfig(storage)
        .logDecoration(logDecoration)
        .clock(clock)
        .build();
  }

  @Provides
  static ToolRepository tools(InMemoryAdapter adapter) {
    return adapter.tools();
  }

  @Provides
  static InstanceRepository instances(InMemoryAdapter adapter) {
    return adapter.instances();
  }

  @Provides
  static LogStore logs(InMemoryAdapter adapter) {
    return adapter.logs();
  }

  @Provides
  static WorkloadRuntime runtime(InMemoryAdapter adapter) {
    return adapter.runtime();
  }
}
