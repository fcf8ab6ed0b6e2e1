package com.example.reports;

import dev.toolrun.adapter.inmemory.InMemoryInstanceRepository;
import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryToolRepository;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.application.Toolrun;
import java.time.Clock;

/**
 * toolrun over its in-memory adapter, for tests: nothing is executed, each run plays its lifecycle
 * at once, and {@link #runtime} lets a test script what a tool's runs do. Close it after the test.
 */
final class InMemoryToolrun implements AutoCloseable {
  final InMemoryWorkloadRuntime runtime;
  final Toolrun toolrun;

  InMemoryToolrun() {
    InMemoryLogStore logs = new InMemoryLogStore();
    runtime = new InMemoryWorkloadRuntime(logs, InMemoryRuntimeConfig.instant(), Clock.systemUTC());
    toolrun =
        Toolrun.builder()
            .tools(new InMemoryToolRepository())
            .instances(new InMemoryInstanceRepository())
            .logs(logs)
            .runtime(runtime)
            .build();
    toolrun.start();
  }

  /** Closes toolrun first (its threads), then the runtime it was given. */
  @Override
  public void close() {
    toolrun.close();
    runtime.close();
  }
}
