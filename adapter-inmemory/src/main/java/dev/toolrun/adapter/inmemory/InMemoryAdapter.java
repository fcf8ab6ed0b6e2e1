package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.ports.out.LogStore;
import java.time.Clock;
import java.util.function.UnaryOperator;

/**
 * Every driven port in memory, without Guice: toolrun with no cluster, and the fake to swap in for
 * one in tests. Its runtime executes nothing and can be scripted: what a task's run does is a
 * {@link Scenario} (success, an exit code, running out of memory, a timeout, a failed pull), what a
 * service answers is a {@link ServiceBehaviour}.
 *
 * <pre>{@code
 * try (InMemoryAdapter adapter =
 *     InMemoryAdapter.builder().runtimeConfig(InMemoryRuntimeConfig.instant()).build()) {
 *   adapter.runtime().script(new ToolName("crunch"), Scenario.runOutOfMemory(List.of("loading")));
 *   // hand adapter.tools(), .instances(), .logs() and .runtime() to Toolrun.builder()
 * }
 * }</pre>
 *
 * <p>Its parts are made in order (log store, tool records, instance records, then the runtime,
 * which writes to the log store) and closed in the reverse order: once {@link #close()} returns,
 * the runtime reports and writes nothing more.
 */
public final class InMemoryAdapter implements AutoCloseable {
  private final LogStore logs;
  private final InMemoryToolRepository tools;
  private final InMemoryInstanceRepository instances;
  private final InMemoryWorkloadRuntime runtime;

  private InMemoryAdapter(Builder builder) {
    InMemoryStorageConfig storage = builder.storageConfig;
    this.logs =
        requireNonNull(
            builder.logDecoration.apply(
                new InMemoryLogStore(storage.maxLogLinesPerInstance(), storage.maxLogLineLength())),
            "the log decoration returned null");
    this.tools = new InMemoryToolRepository();
    this.instances = new InMemoryInstanceRepository();
    this.runtime =
        new InMemoryWorkloadRuntime(logs, builder.runtimeConfig, builder.clock, tools::latest);
  }

  /**
   * An adapter with the defaults: {@link InMemoryRuntimeConfig#DEFAULT} (steps a person can watch),
   * {@link InMemoryStorageConfig#DEFAULT} and the system UTC clock.
   */
  public static InMemoryAdapter create() {
    return builder().build();
  }

  /** A builder that starts from the defaults of {@link #create()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** The tool records. */
  public InMemoryToolRepository tools() {
    return tools;
  }

  /** The instance records. */
  public InMemoryInstanceRepository instances() {
    return instances;
  }

  /** The instances' logs, which the runtime writes (through the decoration, if one was given). */
  public LogStore logs() {
    return logs;
  }

  /** The runtime, to script what runs do (see {@link InMemoryWorkloadRuntime#script}). */
  public InMemoryWorkloadRuntime runtime() {
    return runtime;
  }

  /**
   * Closes the runtime, the only part that holds a thread: runs stop where they are and report
   * nothing more. The records and the log store hold only memory and have nothing to close; they
   * can still be read. Idempotent.
   */
  @Override
  public void close() {
    runtime.close();
  }

  /** Settings of an {@link InMemoryAdapter}; each starts at its default. Not thread-safe. */
  public static final class Builder {
    private InMemoryRuntimeConfig runtimeConfig = InMemoryRuntimeConfig.DEFAULT;
    private InMemoryStorageConfig storageConfig = InMemoryStorageConfig.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private UnaryOperator<LogStore> logDecoration = UnaryOperator.identity();

    private Builder() {}

    /**
     * What the runtime writes logs through, around the in-memory store: e.g. the application's
     * {@code LiveLogs::over}, which wakes followers of a log at each line. None if unset.
     */
    public Builder logDecoration(UnaryOperator<LogStore> decoration) {
      this.logDecoration = requireNonNull(decoration, "decoration is null");
      return this;
    }

    /** How the runtime paces runs; {@link InMemoryRuntimeConfig#instant()} suits tests. */
    public Builder runtimeConfig(InMemoryRuntimeConfig config) {
      this.runtimeConfig = requireNonNull(config, "config is null");
      return this;
    }

    /** How much of each log is kept. */
    public Builder storageConfig(InMemoryStorageConfig config) {
      this.storageConfig = requireNonNull(config, "config is null");
      return this;
    }

    /** The clock that stamps the runtime's events. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock is null");
      return this;
    }

    public InMemoryAdapter build() {
      return new InMemoryAdapter(this);
    }
  }
}
