package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryAdapter;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failures scripted on the in-memory adapter from outside its package, as an embedder's test does
 * it: through {@link InMemoryAdapter} and {@link Toolrun} only, and seen through the use cases.
 */
class ScriptedFailureTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final InMemoryAdapter adapter =
      InMemoryAdapter.builder().runtimeConfig(InMemoryRuntimeConfig.instant()).build();
  private final Toolrun toolrun =
      Toolrun.builder()
          .tools(adapter.tools())
          .instances(adapter.instances())
          .logs(adapter.logs())
          .runtime(adapter.runtime())
          .build();

  @AfterEach
  void close() {
    toolrun.close();
    adapter.close();
  }

  private Instance run(String tool, Scenario scenario) {
    toolrun.start();
    adapter.runtime().script(new ToolName(tool), scenario);
    toolrun
        .registerTool()
        .register(
            new RegisterToolCommand(
                new ToolName(tool),
                "fails as scripted",
                ToolSpec.task(ContainerImage.of("busybox:1")).timeout(TIMEOUT).build()));
    InstanceId id =
        toolrun
            .launchInstance()
            .launch(
                new LaunchInstanceCommand(
                    new ToolName(tool),
                    Optional.empty(),
                    Parameters.NONE,
                    SecretValues.NONE,
                    Optional.empty()))
            .view()
            .instance()
            .id();
    await().atMost(Duration.ofSeconds(10)).until(() -> instance(id).isTerminal());
    return instance(id);
  }

  private Instance instance(InstanceId id) {
    return toolrun.getInstance().get(new GetInstanceQuery(id)).instance();
  }

  @Test
  void aNonZeroExitCodeFailsTheInstanceWithThatCode() {
    Instance ended = run("crasher", Scenario.fail(3, List.of("Traceback")));

    assertThat(ended.state()).isEqualTo(InstanceState.FAILED);
    assertThat(ended.failure()).contains(new FailureReason.ExitedNonZero(3));
    assertThat(ended.exitCode()).contains(3);
  }

  @Test
  void runningOutOfMemoryFailsTheInstanceAsOutOfMemoryWithExitCode137() {
    Instance ended = run("hungry", Scenario.runOutOfMemory(List.of("loading")));

    assertThat(ended.state()).isEqualTo(InstanceState.FAILED);
    assertThat(ended.failure()).containsInstanceOf(FailureReason.OutOfMemory.class);
    assertThat(ended.exitCode()).contains(137);
  }

  @Test
  void aTimeoutEndsTheInstanceTimedOutWithoutWaitingForIt() {
    Instance ended = run("slow", Scenario.timeOut(List.of("waiting")));

    assertThat(ended.state()).isEqualTo(InstanceState.TIMED_OUT);
    assertThat(ended.failure()).contains(new FailureReason.DeadlineExceeded(TIMEOUT));
    assertThat(ended.exitCode()).isEmpty();
  }
}
