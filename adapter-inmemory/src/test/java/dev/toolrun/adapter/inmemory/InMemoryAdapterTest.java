package dev.toolrun.adapter.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.RecordingProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InMemoryAdapterTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

  private static Launch launch(String toolName) {
    ToolSpec spec = ToolSpec.task(ContainerImage.of("busybox:1")).build();
    Tool tool = Tool.first(new ToolName(toolName), "a tool", spec, NOW);
    Instance instance =
        Instance.launch(
                InstanceId.generate(NOW, new Random(5)),
                tool,
                Parameters.NONE,
                SecretValues.NONE.names(),
                Optional.empty(),
                NOW)
            .transitionTo(InstanceState.CREATING, NOW);
    return new Launch(instance, tool, SecretValues.NONE);
  }

  @Test
  void itsRuntimeWritesToItsOwnLogStore() {
    try (InMemoryAdapter adapter =
        InMemoryAdapter.builder()
            .runtimeConfig(InMemoryRuntimeConfig.instant())
            .storageConfig(new InMemoryStorageConfig(1, 100))
            .build()) {
      RecordingProgress progress = new RecordingProgress();
      adapter.runtime().observe(progress);
      adapter.runtime().script(new ToolName("chatty"), Scenario.fail(3, List.of("one", "two")));
      Launch launch = launch("chatty");
      InstanceId id = launch.instance().id();

      adapter.runtime().launch(launch);

      await().atMost(Duration.ofSeconds(10)).until(() -> adapter.logs().read(id, 0, 10).complete());
      assertThat(adapter.logs().read(id, 0, 10).lines())
          .as("the storage config keeps one line")
          .hasSize(1);
      assertThat(progress.terminal(id).orElseThrow().exitCode()).contains(3);
    }
  }

  @Test
  void closingStopsTheRuntimeAndLeavesTheRecordsReadable() {
    InMemoryAdapter adapter = InMemoryAdapter.create();
    adapter.runtime().observe(new RecordingProgress());
    Launch launch = launch("late");
    adapter.instances().add(launch.instance());

    adapter.close();

    assertThatThrownBy(() -> adapter.runtime().launch(launch))
        .isInstanceOf(RuntimeUnavailableException.class);
    assertThat(adapter.instances().find(launch.instance().id())).isPresent();
  }
}
