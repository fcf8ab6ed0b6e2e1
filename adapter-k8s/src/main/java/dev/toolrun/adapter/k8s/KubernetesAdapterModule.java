package dev.toolrun.adapter.k8s;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Leadership;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;

/**
 * Binds everything that lives in the cluster, from one {@link KubernetesAdapter}: the {@link
 * WorkloadRuntime}, the tool and instance repositories (records kept as Tool and ToolRun resources,
 * or as ConfigMaps: {@code kubernetes.records}), and the kubectl doors to the catalog and to runs
 * ({@link KubernetesDoor}). Expects the application to bind {@link Vertx}, {@link LogStore}, {@link
 * Clock}, {@link Leadership} and the core's use cases the doors go through. Building does no I/O;
 * the cluster is first contacted when the application starts. The app closes the {@link
 * KubernetesAdapter} at shutdown, which closes its parts in the reverse of their start order.
 */
public final class KubernetesAdapterModule extends AbstractModule {
  private final KubernetesConfig config;
  private final ToolRequestReader toolRequests;

  /**
   * @param toolRequests reads a Tool applied with kubectl as {@code PUT /v1/tools/{name}} reads its
   *     body (the HTTP adapter's reading, handed over by the app)
   */
  public KubernetesAdapterModule(KubernetesConfig config, ToolRequestReader toolRequests) {
    this.config = requireNonNull(config, "config is null");
    this.toolRequests = requireNonNull(toolRequests, "toolRequests is null");
  }

  @Override
  protected void configure() {
    bind(KubernetesConfig.class).toInstance(config);
    bind(ToolRequestReader.class).toInstance(toolRequests);
  }

  /** The kubectl doors: to the catalog (a Tool applied), and to runs (a ToolRun created). */
  @Provides
  @Singleton
  static List<KubernetesDoor> doors(
      KubernetesAdapter kubernetes,
      RegisterToolUseCase register,
      ToolRequestReader reader,
      LaunchInstanceUseCase launch,
      CancelInstanceUseCase cancel,
      StopInstanceUseCase stop,
      GetInstanceUseCase get,
      Leadership leadership) {
    return List.of(
        kubernetes.toolDoor(register, leadership, reader),
        kubernetes.toolRunDoor(launch, cancel, stop, get, leadership));
  }

  @Provides
  @Singleton
  static KubernetesAdapter kubernetes(
      KubernetesConfig config, Vertx vertx, LogStore logs, Clock clock, MeterRegistry registry) {
    return KubernetesAdapter.connect(config, logs, clock, vertx, registry);
  }

  @Provides
  @Singleton
  static ToolRepository toolRepository(KubernetesAdapter kubernetes) {
    return kubernetes.tools();
  }

  @Provides
  @Singleton
  static InstanceRepository instanceRepository(KubernetesAdapter kubernetes) {
    return kubernetes.instances();
  }

  @Provides
  @Singleton
  static WorkloadRuntime workloadRuntime(KubernetesAdapter kubernetes) {
    return kubernetes.runtime();
  }
}
