package dev.toolrun.adapter.inmemory;

import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.WorkloadRuntime;
import dev.toolrun.ports.out.WorkloadRuntimeContractTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the runtime contract with scripted workloads: each task the contract asks for gets an image
 * of its own, scripted with the scenario that behaves as asked; the echo service is the default.
 */
class InMemoryWorkloadRuntimeTest extends WorkloadRuntimeContractTest {
  private static final AtomicInteger IMAGES = new AtomicInteger();

  private final InMemoryLogStore logs = new InMemoryLogStore();
  private InMemoryWorkloadRuntime runtime;

  @Override
  protected WorkloadRuntime startRuntime(RecordRunProgressUseCase listener) {
    runtime = new InMemoryWorkloadRuntime(logs, InMemoryRuntimeConfig.instant(), Clock.systemUTC());
    runtime.observe(listener);
    return runtime;
  }

  @Override
  protected void stopRuntime(WorkloadRuntime stopped) {
    runtime.close();
  }

  @Override
  protected LogStore logs() {
    return logs;
  }

  @Override
  protected ToolSpec succeedingTask(String resultJson) {
    return ToolSpec.task(scriptedImage("succeeds", Scenario.succeed(List.of("hello"), resultJson)))
        .build();
  }

  @Override
  protected ToolSpec failingTask(int exitCode) {
    return ToolSpec.task(scriptedImage("fails", Scenario.fail(exitCode, List.of("failing"))))
        .build();
  }

  @Override
  protected ToolSpec endlessTaskWithShortTimeout() {
    return ToolSpec.task(scriptedImage("endless", Scenario.neverFinish()))
        .timeout(Duration.ofSeconds(1))
        .build();
  }

  @Override
  protected ToolSpec unpullableTask() {
    return ToolSpec.task(scriptedImage("unpullable", Scenario.failToPull())).build();
  }

  // Unscripted: the in-memory runtime's default service answers /health and echoes the rest.
  @Override
  protected ToolSpec echoService() {
    return ToolSpec.service(
            ContainerImage.of("registry.example/echo:%d".formatted(IMAGES.incrementAndGet())),
            ServiceSettings.http(SERVICE_PORT))
        .build();
  }

  private ContainerImage scriptedImage(String behaviour, Scenario scenario) {
    ContainerImage image =
        ContainerImage.of("registry.example/%s:%d".formatted(behaviour, IMAGES.incrementAndGet()));
    runtime.script(image, scenario);
    return image;
  }
}
