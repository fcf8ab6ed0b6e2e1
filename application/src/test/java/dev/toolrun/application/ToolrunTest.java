package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryInstanceRepository;
import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryToolRepository;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The entry point: what it needs, what it defaults, and what it owns. */
class ToolrunTest {
  private final InMemoryLogStore logs = new InMemoryLogStore();
  private final InMemoryWorkloadRuntime runtime =
      new InMemoryWorkloadRuntime(logs, InMemoryRuntimeConfig.instant(), Clock.systemUTC());

  @AfterEach
  void close() {
    runtime.close();
  }

  private Toolrun.Builder withPorts() {
    return Toolrun.builder()
        .tools(new InMemoryToolRepository())
        .instances(new InMemoryInstanceRepository())
        .logs(logs)
        .runtime(runtime);
  }

  @Test
  void theFourPortsAreEnoughToLaunchAndTheDefaultsDoTheRest() {
    try (Toolrun toolrun = withPorts().build()) {
      toolrun.start();
      toolrun
          .registerTool()
          .register(
              new RegisterToolCommand(
                  new ToolName("hello"),
                  "says hello",
                  ToolSpec.task(ContainerImage.of("busybox:1")).build()));
      InstanceId id =
          toolrun
              .launchInstance()
              .launch(
                  new LaunchInstanceCommand(
                      new ToolName("hello"),
                      Optional.empty(),
                      Parameters.NONE,
                      SecretValues.NONE,
                      Optional.empty()))
              .view()
              .instance()
              .id();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  toolrun.getInstance().get(new GetInstanceQuery(id)).instance().state()
                      == InstanceState.SUCCEEDED);
    }
  }

  @Test
  void aReadOfRecordsThatNeverBlockIsSaidNotToBlockThroughEveryDecoratorOfTheCore() {
    try (Toolrun toolrun = withPorts().build()) {
      toolrun.start();

      // The HTTP adapter answers such a read on its event loop.
      assertThat(toolrun.getInstance().getMayBlock()).isFalse();
    }
  }

  @Test
  void eachRequiredPortIsNamedWhenItIsMissing() {
    assertThatThrownBy(() -> Toolrun.builder().build()).hasMessage("tools is null");
    assertThatThrownBy(() -> Toolrun.builder().tools(new InMemoryToolRepository()).build())
        .hasMessage("instances is null");
    assertThatThrownBy(
            () ->
                Toolrun.builder()
                    .tools(new InMemoryToolRepository())
                    .instances(new InMemoryInstanceRepository())
                    .build())
        .hasMessage("logs is null");
    assertThatThrownBy(
            () ->
                Toolrun.builder()
                    .tools(new InMemoryToolRepository())
                    .instances(new InMemoryInstanceRepository())
                    .logs(logs)
                    .build())
        .hasMessage("runtime is null");
  }

  @Test
  void itStartsOnce() {
    try (Toolrun toolrun = withPorts().build()) {
      toolrun.start();

      assertThatThrownBy(toolrun::start).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void closingStopsTheThreadsItCreated() {
    Toolrun toolrun = withPorts().build();
    toolrun.start();
    List<Thread> core =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("toolrun-core"))
            .toList();
    assertThat(core).as("the retention sweep runs on a thread toolrun made").isNotEmpty();

    toolrun.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> core.stream().noneMatch(Thread::isAlive));
  }

  @Test
  void closingLeavesAnExecutorItWasGivenToItsOwner() {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    try {
      Toolrun toolrun = withPorts().executor(executor).build();
      toolrun.start();

      toolrun.close();

      assertThat(executor.isShutdown()).isFalse();
    } finally {
      executor.shutdownNow();
    }
  }
}
