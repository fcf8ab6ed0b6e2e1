package dev.toolrun.adapter.k8s;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.toolrun.adapter.k8s.record.KubernetesInstanceRepository;
import dev.toolrun.adapter.k8s.record.KubernetesToolRepository;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.vertx.core.Vertx;
import java.time.Clock;

/**
 * Binds everything that lives in the cluster: the {@link WorkloadRuntime} and the tool and instance
 * repositories (records kept as ConfigMaps). Expects the application to bind {@link Vertx}, {@link
 * LogStore} and {@link Clock}. Building does no I/O; the cluster is first contacted when the
 * application starts.
 */
public final class KubernetesAdapterModule extends AbstractModule {
  private final KubernetesConfig config;

  public KubernetesAdapterModule(KubernetesConfig config) {
    this.config = requireNonNull(config, "config is null");
  }

  @Override
  protected void configure() {
    bind(KubernetesConfig.class).toInstance(config);
    // What the app closes at shutdown, in this order: the runtime and the repositories (their
    // informers, their unsaved record steps), then the connection they share.
    Multibinder<AutoCloseable> resources = Multibinder.newSetBinder(binder(), AutoCloseable.class);
    resources.addBinding().to(KubernetesWorkloadRuntime.class);
    resources.addBinding().to(KubernetesInstanceRepository.class);
    resources.addBinding().to(KubernetesToolRepository.class);
    resources.addBinding().to(KubernetesCluster.class);
  }

  @Provides
  @Singleton
  static KubernetesCluster cluster(KubernetesConfig config, Vertx vertx) {
    return KubernetesCluster.connect(config, vertx);
  }

  @Provides
  @Singleton
  static KubernetesWorkloadRuntime kubernetesRuntime(
      KubernetesCluster cluster,
      KubernetesConfig config,
      LogStore logs,
      Clock clock,
      KubernetesInstanceRepository instances) {
    return new KubernetesWorkloadRuntime(cluster, config, logs, clock, instances::owner);
  }

  @Provides
  @Singleton
  static KubernetesToolRepository kubernetesTools(KubernetesCluster cluster) {
    return new KubernetesToolRepository(cluster);
  }

  @Provides
  @Singleton
  static KubernetesInstanceRepository kubernetesInstances(KubernetesCluster cluster) {
    return new KubernetesInstanceRepository(cluster);
  }

  @Provides
  @Singleton
  static ToolRepository toolRepository(KubernetesToolRepository tools) {
    return tools;
  }

  @Provides
  @Singleton
  static InstanceRepository instanceRepository(KubernetesInstanceRepository instances) {
    return instances;
  }

  @Provides
  @Singleton
  static WorkloadRuntime workloadRuntime(KubernetesWorkloadRuntime runtime) {
    return runtime;
  }
}
