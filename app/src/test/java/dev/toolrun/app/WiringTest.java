package dev.toolrun.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.toolrun.adapter.http.HttpApi;
import dev.toolrun.adapter.inmemory.InMemoryAdapter;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.adapter.k8s.KubernetesAdapter;
import dev.toolrun.adapter.k8s.run.KubernetesWorkloadRuntime;
import dev.toolrun.adapter.logfile.FileLogStore;
import dev.toolrun.app.config.ConfigLoader;
import dev.toolrun.app.config.ToolrunConfig;
import dev.toolrun.application.Toolrun;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.vertx.core.Vertx;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The strict injector builds the whole graph for each runtime, and picks exactly that runtime. */
class WiringTest {

  private static ToolrunConfig config(String runtime) {
    return new ConfigLoader()
        .load(List.of(), Map.of("TOOLRUN_RUNTIME", runtime, "TOOLRUN_AUTH_TOKEN", "t"));
  }

  private static Injector injector(ToolrunConfig config) {
    return Guice.createInjector(Stage.PRODUCTION, Main.modules(config));
  }

  @Test
  void theInMemoryRuntimeIsTheDefault() throws Exception {
    ToolrunConfig config = config("in-memory");
    Injector injector = injector(config);

    assertThat(injector.getInstance(WorkloadRuntime.class))
        .isInstanceOf(InMemoryWorkloadRuntime.class);
    assertThat(injector.getInstance(HttpApi.class)).isNotNull();
    AutoCloseable owner = injector.getInstance(Main.runtimeAdapter(config).owner());
    assertThat(owner)
        .as("what the app closes at shutdown is the adapter whose runtime the port is bound to")
        .isInstanceOfSatisfying(
            InMemoryAdapter.class,
            adapter ->
                assertThat(adapter.runtime())
                    .isSameAs(injector.getInstance(WorkloadRuntime.class)));
    owner.close();
    injector.getInstance(Vertx.class).close();
  }

  @Test
  void theKubernetesRuntimeIsWiredWithoutTalkingToACluster() throws Exception {
    ToolrunConfig config = config("kubernetes");
    Injector injector = injector(config);

    WorkloadRuntime runtime = injector.getInstance(WorkloadRuntime.class);
    assertThat(runtime).isInstanceOf(KubernetesWorkloadRuntime.class);
    assertThat(runtime.capabilities().name()).isEqualTo("kubernetes");
    assertThat(injector.getInstance(dev.toolrun.ports.out.InstanceRepository.class))
        .isInstanceOf(dev.toolrun.adapter.k8s.record.KubernetesInstanceRepository.class);
    AutoCloseable owner = injector.getInstance(Main.runtimeAdapter(config).owner());
    assertThat(owner)
        .as("what the app closes at shutdown is the adapter, which closes the runtime first")
        .isInstanceOfSatisfying(
            KubernetesAdapter.class, adapter -> assertThat(adapter.runtime()).isSameAs(runtime));
    owner.close();
    injector.getInstance(Vertx.class).close();
  }

  @Test
  void theFileLogStoreIsClosedAtShutdownAndAStoreInMemoryHasNothingToClose(@TempDir Path logs)
      throws Exception {
    ToolrunConfig withFiles =
        new ConfigLoader()
            .load(
                List.of(),
                Map.of(
                    "TOOLRUN_RUNTIME", "kubernetes",
                    "TOOLRUN_AUTH_TOKEN", "t",
                    "TOOLRUN_LOGS_DIRECTORY", logs.toString()));
    Main.RuntimeAdapter adapter = Main.runtimeAdapter(withFiles);
    Injector injector = Guice.createInjector(Stage.PRODUCTION, Main.modules(withFiles));

    assertThat(adapter.logStore())
        .as("the app closes the store the log port writes to, which holds open files")
        .hasValueSatisfying(
            key ->
                assertThat(injector.getInstance(key))
                    .isSameAs(injector.getInstance(FileLogStore.class)));
    assertThat(Main.runtimeAdapter(config("kubernetes")).logStore()).isEmpty();
    assertThat(Main.runtimeAdapter(config("in-memory")).logStore()).isEmpty();
    injector.getInstance(adapter.owner()).close();
    injector.getInstance(FileLogStore.class).close();
    injector.getInstance(Vertx.class).close();
  }

  @Test
  void everyUseCaseIsBoundToTheOneTheCoreHandsOut() throws Exception {
    Injector injector = injector(config("in-memory"));
    Toolrun core = injector.getInstance(Toolrun.class);
    List<String> useCases =
        new ClassFileImporter()
            .importPackages(LaunchInstanceUseCase.class.getPackageName()).stream()
                .filter(type -> type.isInterface() && type.isTopLevelClass())
                .filter(type -> type.getSimpleName().endsWith("UseCase"))
                .map(JavaClass::getName)
                .toList();

    assertThat(useCases).hasSizeGreaterThanOrEqualTo(14);
    assertThat(ApplicationModule.useCaseGetters())
        .extracting(getter -> getter.getReturnType().getName())
        .containsExactlyInAnyOrderElementsOf(useCases);
    for (Method getter : ApplicationModule.useCaseGetters()) {
      assertThat(injector.getInstance(getter.getReturnType()))
          .as(getter.getName())
          .isSameAs(getter.invoke(core));
    }
    injector.getInstance(InMemoryAdapter.class).close();
    injector.getInstance(Vertx.class).close();
  }
}
