package dev.toolrun.adapter.k8s;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.LiveLogs;
import dev.toolrun.application.Toolrun;
import dev.toolrun.ports.out.Leadership;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

/**
 * toolrun's core on the Kubernetes adapter, in a namespace of its own on the local cluster, as the
 * unprivileged runner, with every API request of toolrun's own client counted by {@link #counter}.
 * The runtime writes its logs through {@link LiveLogs}, as the app wires it, and its Jobs are owned
 * by their records, as in production.
 */
public final class CountedToolrun implements AutoCloseable {
  final ApiRequestCounter counter = new ApiRequestCounter();
  public final Toolrun app;

  public final LocalCluster cluster;
  private final KubernetesClient client;
  final KubernetesAdapter kubernetes;
  private final ScheduledExecutorService executor;
  private final RecordStore records;

  private CountedToolrun(UnaryOperator<KubernetesConfig> configure) {
    cluster = LocalCluster.start();
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.autoConfigure(LocalCluster.RUNNER_CONTEXT))
            .withHttpClientBuilderConsumer(
                builder -> builder.addOrReplaceInterceptor("count", counter))
            .build();
    KubernetesConfig config =
        configure.apply(KubernetesConfig.localCluster().inNamespace(cluster.namespace()));
    records = config.records();
    if (records == RecordStore.CONFIG_MAPS) {
      cluster.bindRole(LocalCluster.CONFIG_MAP_RECORDS_ROLE);
    }
    LiveLogs logs = LiveLogs.over(new InMemoryLogStore());
    kubernetes = KubernetesAdapter.using(client, config, logs, Clock.systemUTC());
    executor = Executors.newScheduledThreadPool(4);
    app =
        Toolrun.builder()
            .tools(kubernetes.tools())
            .instances(kubernetes.instances())
            .logs(logs)
            .runtime(kubernetes.runtime())
            .capacity(Capacity.DEFAULT)
            .executor(executor)
            .clock(Clock.systemUTC())
            .random(new SecureRandom())
            .build();
  }

  /** A started core in a new namespace, with its records as the default store keeps them. */
  static CountedToolrun start() {
    return start(UnaryOperator.identity());
  }

  /** A started core in a new namespace, with its records in {@code records}. */
  static CountedToolrun start(RecordStore records) {
    return start(config -> config.toBuilder().records(records).build());
  }

  /**
   * A started core in a new namespace, on the local cluster's configuration as {@code configure}
   * changes it.
   */
  public static CountedToolrun start(UnaryOperator<KubernetesConfig> configure) {
    CountedToolrun toolrun = new CountedToolrun(configure);
    toolrun.app.start();
    if (toolrun.records == RecordStore.RESOURCES) {
      // As the app wires it: ToolRuns are records, so kubectl is a door too.
      toolrun
          .kubernetes
          .toolRunDoor(
              toolrun.app.launchInstance(),
              toolrun.app.cancelInstance(),
              toolrun.app.stopInstance(),
              toolrun.app.getInstance(),
              Leadership.SOLE)
          .start();
    }
    return toolrun;
  }

  /** Closes the adapter, the core's threads and the client, and deletes the namespace. */
  @Override
  public void close() {
    kubernetes.close();
    executor.shutdownNow();
    client.close();
    cluster.close();
  }
}
