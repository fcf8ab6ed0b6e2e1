package dev.toolrun.bench.cluster;

import dev.toolrun.adapter.k8s.LocalCluster;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Figure 5, the HTTP client under fabric8: its Vert.x 5 client on a Vert.x instance that already
 * exists (as toolrun's does, for its API) against its JDK client, in the same rounds, alternating
 * which goes first. Each side lists one labelled ConfigMap, one request at a time and then from 16
 * threads, as the runner user; it also counts the threads the client added to the process.
 */
final class HttpClientFigure {
  private static final Logger LOG = LoggerFactory.getLogger(HttpClientFigure.class);
  private static final int WARMUP = 200;
  private static final int SEQUENTIAL = 500;
  private static final int THREADS = 16;
  private static final int PER_THREAD = 100;
  private static final String NAME = "bench-client-probe";
  private static final String PROBE_LABEL = "bench.toolrun.dev/client-probe";

  private final BenchSettings settings;
  private final Teardown teardown;

  HttpClientFigure(BenchSettings settings, Teardown teardown) {
    this.settings = settings;
    this.teardown = teardown;
  }

  /** One side's figures in one round. */
  private record Reading(
      double sequentialMillisPerGet, double parallelGetsPerSecond, int addedThreads) {}

  ResultLine measure() {
    LocalCluster space = teardown.add(LocalCluster.start());
    space
        .admin()
        .configMaps()
        .inNamespace(space.namespace())
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withLabels(Map.of(PROBE_LABEL, "yes"))
                .endMetadata()
                .withData(Map.of("k", "v"))
                .build())
        .create();
    Vertx vertx = Vertx.vertx();
    try {
      Map<String, Function<Vertx, HttpClient.Factory>> sides =
          Map.of(
              "vertx", Vertx5HttpClientFactory::new, "jdk", ignored -> new JdkHttpClientFactory());
      List<Reading> vertxReadings = new ArrayList<>();
      List<Reading> jdkReadings = new ArrayList<>();
      for (int round = 1; round <= settings.rounds(); round++) {
        List<String> order = round % 2 == 1 ? List.of("vertx", "jdk") : List.of("jdk", "vertx");
        for (String side : order) {
          Reading reading = read(sides.get(side).apply(vertx), space.namespace());
          LOG.info("http client round {}/{}: {} {}", round, settings.rounds(), side, reading);
          (side.equals("vertx") ? vertxReadings : jdkReadings).add(reading);
        }
      }
      double vertxGet =
          Distribution.of(vertxReadings.stream().map(Reading::sequentialMillisPerGet).toList())
              .median();
      double jdkGet =
          Distribution.of(jdkReadings.stream().map(Reading::sequentialMillisPerGet).toList())
              .median();
      double vertxRate =
          Distribution.of(vertxReadings.stream().map(Reading::parallelGetsPerSecond).toList())
              .median();
      double jdkRate =
          Distribution.of(jdkReadings.stream().map(Reading::parallelGetsPerSecond).toList())
              .median();
      return ResultLine.of("cluster.http_client")
          .with("rounds", settings.rounds())
          .millis("vertx_get_ms", vertxGet)
          .millis("jdk_get_ms", jdkGet)
          .ratio("get_ratio_vertx_over_jdk", vertxGet / jdkGet)
          .with("vertx_parallel_rps", Math.round(vertxRate))
          .with("jdk_parallel_rps", Math.round(jdkRate))
          .with(
              "vertx_added_threads",
              vertxReadings.stream().mapToInt(Reading::addedThreads).max().orElse(0))
          .with(
              "jdk_added_threads",
              jdkReadings.stream().mapToInt(Reading::addedThreads).max().orElse(0))
          .with("sequential_gets", SEQUENTIAL)
          .with("parallel_gets", THREADS * PER_THREAD);
    } finally {
      vertx.close().await();
      teardown.closeEarly(space);
    }
  }

  private Reading read(HttpClient.Factory factory, String namespace) {
    int threadsBefore = Thread.activeCount();
    try (KubernetesClient client =
        new KubernetesClientBuilder()
            .withConfig(Config.autoConfigure(LocalCluster.RUNNER_CONTEXT))
            .withHttpClientFactory(factory)
            .build()) {
      for (int i = 0; i < WARMUP; i++) {
        get(client, namespace);
      }
      long start = System.nanoTime();
      for (int i = 0; i < SEQUENTIAL; i++) {
        get(client, namespace);
      }
      double sequential = (System.nanoTime() - start) / 1e6 / SEQUENTIAL;
      ExecutorService callers = Executors.newFixedThreadPool(THREADS);
      try {
        long parallelStart = System.nanoTime();
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          done.add(
              callers.submit(
                  () -> {
                    for (int i = 0; i < PER_THREAD; i++) {
                      get(client, namespace);
                    }
                  }));
        }
        for (Future<?> f : done) {
          f.get();
        }
        double rate = THREADS * PER_THREAD / ((System.nanoTime() - parallelStart) / 1e9);
        // The callers are the bench's own: count the client's threads without them.
        int added = Thread.activeCount() - threadsBefore - THREADS;
        return new Reading(sequential, rate, added);
      } catch (Exception e) {
        throw new IllegalStateException("the parallel reads failed", e);
      } finally {
        callers.shutdownNow();
      }
    }
  }

  /** A list by label, as toolrun's Role grants (it has no get on ConfigMaps): one small answer. */
  private static void get(KubernetesClient client, String namespace) {
    if (client
            .configMaps()
            .inNamespace(namespace)
            .withLabel(PROBE_LABEL, "yes")
            .list()
            .getItems()
            .size()
        != 1) {
      throw new IllegalStateException("the probe ConfigMap is gone");
    }
  }
}
