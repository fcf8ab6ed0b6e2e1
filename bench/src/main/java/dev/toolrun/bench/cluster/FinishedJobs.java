package dev.toolrun.bench.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills a namespace with finished Jobs (and their pods) that toolrun's informers take for its own:
 * the trivial run, with the labels toolrun's Jobs carry and the cleanup policy NEVER, as toolrun
 * leaves the Jobs of runs it was told to keep. Created directly, as the administrator: the cheap
 * way to the same cache contents as that many kept runs.
 */
final class FinishedJobs {
  private static final Logger LOG = LoggerFactory.getLogger(FinishedJobs.class);

  private FinishedJobs() {}

  /**
   * Creates {@code count} such Jobs in {@code namespace} and waits until every one has completed.
   *
   * @return the instance ids the Jobs carry
   */
  static Set<String> create(KubernetesClient admin, String namespace, int count) {
    // The single node starts about 1.5 pods a second.
    Duration patience = Duration.ofSeconds(300 + count);
    try (TerminalEventWatch watch = TerminalEventWatch.start(admin, namespace)) {
      List<String> ids =
          IntStream.range(0, count).mapToObj(i -> UUID.randomUUID().toString()).toList();
      for (String id : ids) {
        admin
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .resource(
                TrivialRun.job(
                    "toolrun-" + id,
                    ToolrunLabels.ofTask(id, TrivialRun.TOOL),
                    Map.of(ToolrunLabels.CLEANUP_POLICY_ANNOTATION, "NEVER")))
            .create();
      }
      LOG.info("informer memory: created {} Jobs, waiting until they complete", count);
      List<CompletableFuture<TerminalEventWatch.JobEnd>> ends =
          ids.stream().map(watch::jobEnd).toList();
      Await.within(
          patience,
          count + " Jobs to complete",
          CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new)));
      long failed = ends.stream().filter(e -> !"Complete".equals(e.join().condition())).count();
      if (failed > 0) {
        throw new IllegalStateException(
            failed + " of the " + count + " Jobs in " + namespace + " failed");
      }
      return Set.copyOf(ids);
    }
  }
}
