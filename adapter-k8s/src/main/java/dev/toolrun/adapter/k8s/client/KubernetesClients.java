package dev.toolrun.adapter.k8s.client;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Builds the fabric8 client toolrun uses: from the configured kubeconfig file, or the usual lookup
 * and then the in-cluster service account; on the application's own Vert.x instance, so the client
 * adds no event loops of its own (measured against the JDK client in docs/benchmarks.md).
 */
public final class KubernetesClients {
  private KubernetesClients() {}

  static KubernetesClient create(KubernetesConfig config, Vertx vertx) {
    return create(config, new Vertx5HttpClientFactory(vertx), new Interceptor() {});
  }

  /**
   * @param watcher sees every request and answer, to learn of an outage as soon as one fails
   */
  static KubernetesClient create(
      KubernetesConfig config,
      io.fabric8.kubernetes.client.http.HttpClient.Factory httpClients,
      Interceptor watcher) {
    return create(config, httpClients, watcher, new Interceptor() {});
  }

  /**
   * @param watcher sees every request and answer, to learn of an outage as soon as one fails
   * @param metrics sees every request and answer too, to count them
   */
  static KubernetesClient create(
      KubernetesConfig config,
      io.fabric8.kubernetes.client.http.HttpClient.Factory httpClients,
      Interceptor watcher,
      Interceptor metrics) {
    String context = config.context().orElse(null);
    Config clientConfig =
        config
            .kubeconfig()
            .map(file -> fromFile(file, context))
            .orElseGet(() -> Config.autoConfigure(context));
    clientConfig.setNamespace(config.namespace());
    return new KubernetesClientBuilder()
        .withConfig(clientConfig)
        .withHttpClientFactory(httpClients)
        .withHttpClientBuilderConsumer(
            builder ->
                builder
                    .addOrReplaceInterceptor("toolrun-reachability", watcher)
                    .addOrReplaceInterceptor("toolrun-metrics", metrics))
        .build();
  }

  /**
   * A second client on the same cluster and credentials, with fabric8's automatic retries off: for
   * forwarding requests to services, which must be sent once and whose errors are their own.
   */
  static KubernetesClient withoutRetries(
      KubernetesClient client, io.fabric8.kubernetes.client.http.HttpClient.Factory httpClients) {
    Config config =
        new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
            .withRequestRetryBackoffLimit(0)
            .build();
    KubernetesClientBuilder builder = new KubernetesClientBuilder().withConfig(config);
    if (httpClients != null) {
      builder.withHttpClientFactory(httpClients);
    }
    return builder.build();
  }

  private static Config fromFile(Path kubeconfig, String context) {
    if (!Files.isReadable(kubeconfig)) {
      throw new IllegalArgumentException(
          "kubernetes.kubeconfig: " + kubeconfig + " does not exist or is not readable");
    }
    try {
      return Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          "kubernetes.kubeconfig: " + kubeconfig + " is not a usable kubeconfig: " + e.getMessage(),
          e);
    }
  }
}
