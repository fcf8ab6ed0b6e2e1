package dev.toolrun.bench.cluster;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The floor of the throughput figure: the same N runs as bare Jobs in one manifest, sent with
 * {@code kubectl apply -f} and waited for with {@code kubectl wait --for=condition=complete}, the
 * way a user with kubectl alone would do it. A Job that fails never completes, so the wait fails.
 */
final class BaselineSide implements ThroughputSide {
  private static final String BATCH_LABEL = "bench.toolrun.dev/batch";

  private final Kubectl kubectl;
  private final KubernetesClient admin;
  private final String namespace;
  private final Path manifests;

  BaselineSide(Kubectl kubectl, KubernetesClient admin, String namespace, Path manifests) {
    this.kubectl = kubectl;
    this.admin = admin;
    this.namespace = namespace;
    this.manifests = manifests;
  }

  @Override
  public String name() {
    return "baseline";
  }

  @Override
  public BatchOutcome run(int n, String batch) {
    Path manifest = writeManifest(n, batch);
    Duration patience = ThroughputFigure.patience(n);
    long start = System.nanoTime();
    kubectl.run(patience, "apply", "-n", namespace, "-f", manifest.toString());
    long submitted = System.nanoTime();
    kubectl.run(
        patience,
        "wait",
        "-n",
        namespace,
        "--for=condition=complete",
        "--timeout=" + patience.toSeconds() + "s",
        "-f",
        manifest.toString());
    return new BatchOutcome(
        Duration.ofNanos(System.nanoTime() - start), Duration.ofNanos(submitted - start), 0);
  }

  @Override
  public void clear(int n) {
    admin
        .batch()
        .v1()
        .jobs()
        .inNamespace(namespace)
        .withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    NamespaceDrain.awaitEmpty(admin, namespace, ThroughputFigure.patience(n));
  }

  private Path writeManifest(int n, String batch) {
    List<HasMetadata> jobs =
        IntStream.range(0, n)
            .<HasMetadata>mapToObj(
                i ->
                    TrivialRun.job(
                        "baseline-" + batch + "-" + i, Map.of(BATCH_LABEL, batch), Map.of()))
            .toList();
    Path manifest = manifests.resolve("baseline-" + batch + ".yaml");
    try {
      Files.createDirectories(manifests);
      Files.writeString(
          manifest,
          new KubernetesSerialization()
              .asYaml(new KubernetesListBuilder().withItems(jobs).build()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return manifest;
  }
}
