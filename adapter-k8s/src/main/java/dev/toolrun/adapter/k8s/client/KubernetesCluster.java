package dev.toolrun.adapter.k8s.client;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.utils.URLUtils;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * toolrun's connection to its namespace of one cluster, shared by the Kubernetes runtime and
 * repositories: the client, a second client without fabric8's automatic retries (for requests to
 * services, which must be sent once), the one rate limiter all of toolrun's API calls go through,
 * and what is known of the API server's reachability. Closing it closes the clients it created.
 */
public final class KubernetesCluster implements AutoCloseable {
  private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);

  private final KubernetesClient client;
  private final HttpClient.Factory httpClients;
  private KubernetesClient clientWithoutRetries;
  private final ApiRateLimiter limiter;
  private final String namespace;
  private final boolean ownsClient;
  private final ApiServerReachability reachability;
  private final ApiMetrics metrics;

  private KubernetesCluster(
      Function<Interceptor, KubernetesClient> connect,
      HttpClient.Factory httpClients,
      KubernetesConfig config,
      boolean ownsClient,
      ApiMetrics metrics) {
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.reachability = new ApiServerReachability(this::probe, Clock.systemUTC());
    this.client = requireNonNull(connect.apply(reachability.watcher()), "client is null");
    this.httpClients = httpClients;
    this.limiter = new ApiRateLimiter(config.rateLimit(), metrics.limiterWaits("api"));
    this.namespace = config.namespace();
    this.ownsClient = ownsClient;
  }

  /** Connects as {@code config} says, on the application's Vert.x; no request is sent yet. */
  public static KubernetesCluster connect(KubernetesConfig config, Vertx vertx) {
    return connect(config, vertx, ApiMetrics.NONE);
  }

  /** Connects as {@code config} says, on the application's Vert.x, counting on {@code metrics}. */
  public static KubernetesCluster connect(
      KubernetesConfig config, Vertx vertx, ApiMetrics metrics) {
    HttpClient.Factory httpClients = new Vertx5HttpClientFactory(vertx);
    return new KubernetesCluster(
        watcher -> KubernetesClients.create(config, httpClients, watcher, metrics.interceptor()),
        httpClients,
        config,
        true,
        metrics);
  }

  /**
   * Uses {@code client}, which the caller keeps and closes. Its failed requests are not seen, so an
   * outage is known only once the informers have lost their watches.
   */
  public static KubernetesCluster using(KubernetesClient client, KubernetesConfig config) {
    requireNonNull(client, "client is null");
    return new KubernetesCluster(watcher -> client, null, config, false, ApiMetrics.NONE);
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

  /** What this cluster's client counts on; the adapter's other parts count there too. */
  public ApiMetrics metrics() {
    return metrics;
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

  /** Whether the API server is known to be unreachable now; see {@link ApiServerReachability}. */
  public ApiServerReachability reachability() {
    return reachability;
  }

  /**
   * One {@code GET /readyz}, sent once (no retries) with a short timeout. Any answer below 500 is
   * an answer: the server is up, whatever it thinks of toolrun's credentials.
   */
  private Optional<String> probe() {
    HttpClient http = clientWithoutRetries().getHttpClient();
    HttpRequest request =
        http.newHttpRequestBuilder()
            .uri(URLUtils.join(server(), "readyz"))
            .timeout(PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
            .build();
    try {
      int status =
          http.sendAsync(request, String.class)
              .get(2 * PROBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .code();
      return status < 500
          ? Optional.empty()
          : Optional.of(
              "the Kubernetes API server at %s answered %d to GET /readyz"
                  .formatted(server(), status));
    } catch (ExecutionException e) {
      return Optional.of(
          "the Kubernetes API server at %s is unreachable: %s".formatted(server(), rootMessage(e)));
    } catch (TimeoutException e) {
      return Optional.of(
          "the Kubernetes API server at %s did not answer GET /readyz within %d ms"
              .formatted(server(), 2 * PROBE_TIMEOUT.toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** The API server's address, for messages. */
  public String server() {
    return String.valueOf(client.getMasterUrl());
  }

  @Override
  public synchronized void close() {
    reachability.close();
    if (clientWithoutRetries != null) {
      clientWithoutRetries.close();
    }
    if (ownsClient) {
      client.close();
    }
  }
}
