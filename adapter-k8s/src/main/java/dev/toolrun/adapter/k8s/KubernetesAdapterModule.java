package dev.toolrun.adapter.k8s;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Binds the Kubernetes {@link WorkloadRuntime}. Expects the application to bind {@link Vertx},
 * {@link LogStore} and {@link Clock}. Building the runtime does no I/O; it talks to the cluster
 * once it is told to observe.
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
  static KubernetesWorkloadRuntime kubernetesRuntime(
      KubernetesConfig config, Vertx vertx, LogStore logs, Clock clock) {
    return KubernetesWorkloadRuntime.connect(config, vertx, logs, clock);
  }

  @Provides
  @Singleton
  static WorkloadRuntime workloadRuntime(KubernetesWorkloadRuntime runtime) {
    return runtime;
  }
}
