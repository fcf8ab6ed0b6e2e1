package dev.toolrun.adapter.k8s.client;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;

/**
 * toolrun's connection to its namespace of one cluster, shared by the Kubernetes runtime and
 * repositories: the client, a second client without fabric8's automatic retries (for requests to
 * services, which must be sent once), and the one rate limiter all of toolrun's API calls go
 * through. Closing it closes the clients it created.
 */
public final class KubernetesCluster implements AutoCloseable {
  private final KubernetesClient client;
  private final HttpClient.Factory httpClients;
  private KubernetesClient clientWithoutRetries;
  private final ApiRateLimiter limiter;
  private final String namespace;
  private final boolean ownsClient;

  private KubernetesCluster(
      KubernetesClient client,
      HttpClient.Factory httpClients,
      KubernetesConfig config,
      boolean ownsClient) {
    this.client = requireNonNull(client, "client is null");
    this.httpClients = httpClients;
    this.limiter = new ApiRateLimiter(config.rateLimit());
    this.namespace = config.namespace();
    this.ownsClient = ownsClient;
  }

  /** Connects as {@code config} says, on the application's Vert.x; no request is sent yet. */
  public static KubernetesCluster connect(KubernetesConfig config, Vertx vertx) {
    HttpClient.Factory httpClients = new Vertx5HttpClientFactory(vertx);
    return new KubernetesCluster(
        KubernetesClients.create(config, httpClients), httpClients, config, true);
  }

  /** Uses {@code client}, which the caller keeps and closes. */
  public static KubernetesCluster using(KubernetesClient client, KubernetesConfig config) {
    return new KubernetesCluster(client, null, config, false);
  }

  public KubernetesClient client() {
    return client;
  }

  /** Made on first use: only service instances need it. */
  public synchronized KubernetesClient clientWithoutRetries() {
    if (clientWithoutRetries == null) {
      clientWithoutRetries = KubernetesClients.withoutRetries(client, httpClients);
    }
    return clientWithoutRetries;
  }

  public ApiRateLimiter limiter() {
    return limiter;
  }

  public String namespace() {
    return namespace;
  }

  /** The API server's version, asked for (one request). */
  public VersionInfo serverVersion() {
    try {
      return client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      throw ApiErrors.translate(e, "reading the server version", server());
    }
  }

  /** The API server's address, for messages. */
  public String server() {
    return String.valueOf(client.getMasterUrl());
  }

  @Override
  public synchronized void close() {
    if (clientWithoutRetries != null) {
      clientWithoutRetries.close();
    }
    if (ownsClient) {
      client.close();
    }
  }
}
