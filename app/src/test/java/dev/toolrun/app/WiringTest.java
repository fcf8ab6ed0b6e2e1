package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import dev.toolrun.adapter.http.HttpApi;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.adapter.k8s.KubernetesWorkloadRuntime;
import dev.toolrun.app.config.ConfigLoader;
import dev.toolrun.app.config.ToolrunConfig;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The strict injector builds the whole graph for each runtime, and picks exactly that runtime. */
class WiringTest {

  private static Injector injector(String runtime) {
    ToolrunConfig config =
        new ConfigLoader().load(List.of(), Map.of("TOOLRUN_RUNTIME", runtime, "TOOLRUN_AUTH_TOKEN", "t"));
    return Guice.createInjector(Stage.PRODUCTION, Main.modules(config));
  }

  @Test
  void theInMemoryRuntimeIsTheDefault() {
    Injector injector = injector("in-memory");

    assertThat(injector.getInstance(WorkloadRuntime.class)).isInstanceOf(InMemoryWorkloadRuntime.class);
    assertThat(injector.getInstance(HttpApi.class)).isNotNull();
    assertThat(injector.getInstance(com.google.inject.Key.get(new com.google.inject.TypeLiteral<java.util.Set<AutoCloseable>>() {})))
        .containsExactly(injector.getInstance(InMemoryWorkloadRuntime.class));
    ((InMemoryWorkloadRuntime) injector.getInstance(WorkloadRuntime.class)).close();
    injector.getInstance(Vertx.class).close();
  }

  @Test
  void theKubernetesRuntimeIsWiredWithoutTalkingToACluster() {
    Injector injector = injector("kubernetes");

    WorkloadRuntime runtime = injector.getInstance(WorkloadRuntime.class);
    assertThat(runtime).isInstanceOf(KubernetesWorkloadRuntime.class);
    assertThat(runtime.capabilities().name()).isEqualTo("kubernetes");
    assertThat(injector.getInstance(dev.toolrun.ports.out.InstanceRepository.class))
        .isInstanceOf(dev.toolrun.adapter.k8s.record.KubernetesInstanceRepository.class);
    var resources = injector.getInstance(com.google.inject.Key.get(new com.google.inject.TypeLiteral<java.util.Set<AutoCloseable>>() {}));
    assertThat(resources).hasSize(4).first().isSameAs(runtime);
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    }
    injector.getInstance(Vertx.class).close();
  }
}
