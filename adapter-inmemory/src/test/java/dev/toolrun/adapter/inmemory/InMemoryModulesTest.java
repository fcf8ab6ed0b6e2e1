package dev.toolrun.adapter.inmemory;

import static dev.toolrun.ports.out.ContractFixtures.T0;
import static dev.toolrun.ports.out.ContractFixtures.instance;
import static dev.toolrun.ports.out.ContractFixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Binder;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryModulesTest {

  @Test
  void aStrictInjectorResolvesEveryPortToOneInMemoryAdapter() {
    Injector injector =
        Guice.createInjector(
            Stage.PRODUCTION,
            binder -> {
              binder.requireExplicitBindings();
              binder.disableCircularProxies();
              binder.requireExactBindingAnnotations();
            },
            new InMemoryAdapterModule(
                InMemoryRuntimeConfig.instant(), new InMemoryStorageConfig(5, 100)),
            (Binder binder) -> binder.bind(Clock.class).toInstance(Clock.systemUTC()));
    InMemoryAdapter adapter = injector.getInstance(InMemoryAdapter.class);
    WorkloadRuntime runtime = adapter.runtime();
    try {
      assertThat(injector.getInstance(ToolRepository.class))
          .isInstanceOf(InMemoryToolRepository.class);
      assertThat(injector.getInstance(InstanceRepository.class))
          .isInstanceOf(InMemoryInstanceRepository.class);
      assertThat(injector.getInstance(WorkloadRuntime.class)).isSameAs(runtime);
      assertThat(injector.getInstance(InMemoryAdapter.class))
          .as("the one object the app closes at shutdown owns the parts the ports are bound to")
          .isSameAs(adapter);
      assertThat(injector.getInstance(ToolRepository.class))
          .isSameAs(injector.getInstance(ToolRepository.class));

      LogStore logs = injector.getInstance(LogStore.class);
      InstanceId id = instance(tool("echo", 1), T0).id();
      logs.append(id, List.of("1", "2", "3", "4", "5", "6", "x".repeat(101)));
      assertThat(logs.read(id, 0, 10).droppedLines()).isEqualTo(2);
      assertThat(logs.read(id, 0, 10).lines().get(4).text())
          .contains("[toolrun: line cut, 1 more characters]");
    } finally {
      adapter.close();
    }
  }

  @Test
  void theDefaultsLetAPersonWatchARunAndKeepToolrunsTimeout() {
    assertThat(InMemoryRuntimeConfig.DEFAULT.stepDelay()).isEqualTo(Duration.ofMillis(200));
    assertThat(InMemoryRuntimeConfig.DEFAULT.defaultTimeout()).isEqualTo(ToolSpec.DEFAULT_TIMEOUT);
    assertThat(InMemoryRuntimeConfig.instant().stepDelay()).isZero();
    assertThat(InMemoryStorageConfig.DEFAULT).isEqualTo(new InMemoryStorageConfig(10_000, 8_192));
  }
}
