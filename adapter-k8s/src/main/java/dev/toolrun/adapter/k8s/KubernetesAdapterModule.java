package dev.toolrun.adapter.k8s;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Binds everything that lives in the cluster, from one {@link KubernetesAdapter}: the {@link
 * WorkloadRuntime} and the tool and instance repositories (records kept as Tool and ToolRun
 * resources, or as ConfigMaps: {@code kubernetes.records}). Expects the application to bind {@link
 * Vertx}, {@link LogStore} and {@link Clock}. Building does no I/O; the cluster is first contacted
 * when the application starts. The app closes the {@link KubernetesAdapter} at shutdown, which
 * closes its parts in the reverse of their start order.
 */
public final class KubernetesAdapterModule extends AbstractModule {
  private final KubernetesConfig config;

  public KubernetesAdapterModule(KubernetesConfig config) {
    this.config = requireNonNull(config, "config is null");
  }

  @Override
  protected void configure() {
    bind(KubernetesConfig.class).toInstance(config);
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
