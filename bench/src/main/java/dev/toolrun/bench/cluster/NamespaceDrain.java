package dev.toolrun.bench.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;

/** Waiting, on watches, until a namespace holds no Job and no pod. */
final class NamespaceDrain {
  private NamespaceDrain() {}

  static void awaitEmpty(KubernetesClient admin, String namespace, Duration patience) {
    Await.within(
        patience,
        "the Jobs in " + namespace + " to go",
        admin.batch().v1().jobs().inNamespace(namespace).informOnCondition(List::isEmpty));
    Await.within(
        patience,
        "the pods in " + namespace + " to go",
        admin.pods().inNamespace(namespace).informOnCondition(List::isEmpty));
  }
}
