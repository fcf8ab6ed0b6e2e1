package com.example.reports;

import dev.toolrun.adapter.inmemory.InMemoryAdapter;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.application.Toolrun;

/**
 * toolrun over its in-memory adapter, for tests: nothing is executed, each run plays its lifecycle
 * at once, and {@link #runtime()} lets a test script what a tool's runs do. Close it after the
 * test.
 */
final class InMemoryToolrun implements AutoCloseable {
  private final InMemoryAdapter adapter =
      InMemoryAdapter.builder().runtimeConfig(InMemoryRuntimeConfig.instant()).build();
  private final Toolrun toolrun =
      Toolrun.builder()
          .tools(adapter.tools())
          .instances(adapter.instances())
          .logs(adapter.logs())
          .runtime(adapter.runtime())
          .build();

  InMemoryToolrun() {
    toolrun.start();
  }

  /** The core, as the application under test gets it. */
  Toolrun toolrun() {
    return toolrun;
  }

  /** The runtime, to script what runs do. */
  InMemoryWorkloadRuntime runtime() {
    return adapter.runtime();
  }

  /** Closes toolrun first (its threads), then the adapter it was given. */
  @Override
  public void close() {
    toolrun.close();
    adapter.close();
  }
}
