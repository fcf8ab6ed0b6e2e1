package dev.toolrun.adapter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.record.KubernetesInstanceRepository;
import dev.toolrun.domain.error.RuntimeRejectedException;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * toolrun started as a user without its Role, on the real cluster: it stops at once and says that a
 * permission is missing and where the Role is, rather than retrying for a minute and then blaming
 * the network (waiting cannot grant a permission).
 */
class MissingPermissionsClusterIT {
  /** Well under the minute toolrun waits for an API server that does not answer. */
  private static final Duration PROMPTLY = Duration.ofSeconds(20);

  private static LocalCluster cluster;
  private static KubernetesCluster connection;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.withoutRole();
    connection =
        KubernetesCluster.using(
            cluster.runner(), KubernetesConfig.localCluster().inNamespace(cluster.namespace()));
  }

  @AfterAll
  static void stop() {
    connection.close();
    cluster.close();
  }

  @Test
  void theRuntimeRefusesToStartAndNamesTheMissingRole() {
    KubernetesConfig config = KubernetesConfig.localCluster().inNamespace(cluster.namespace());
    try (KubernetesAdapter kubernetes =
        KubernetesAdapter.using(
            cluster.runner(), config, new InMemoryLogStore(), Clock.systemUTC())) {
      WorkloadRuntime runtime = kubernetes.runtime();
      Instant begun = Instant.now();

      RuntimeRejectedException refused =
          catchThrowableOfType(
              RuntimeRejectedException.class, () -> runtime.observe(progress -> {}));

      assertThat(refused).as("the runtime started without any permission").isNotNull();
      assertThat(Duration.between(begun, Instant.now())).isLessThan(PROMPTLY);
      assertThat(refused.kind()).isEqualTo(RuntimeRejectedException.Kind.FORBIDDEN);
      assertThat(refused)
          .hasMessageContaining("not allowed")
          .hasMessageContaining("deploy/")
          .hasMessageContaining(cluster.namespace());
    }
  }

  @Test
  void theRecordsRefuseToLoadAndNameTheMissingRole() {
    try (KubernetesInstanceRepository instances = new KubernetesInstanceRepository(connection)) {
      Instant begun = Instant.now();

      RuntimeRejectedException refused =
          catchThrowableOfType(RuntimeRejectedException.class, () -> instances.find(Launches.ID));

      assertThat(refused).as("the records loaded without any permission").isNotNull();
      assertThat(Duration.between(begun, Instant.now())).isLessThan(PROMPTLY);
      assertThat(refused.kind()).isEqualTo(RuntimeRejectedException.Kind.FORBIDDEN);
      assertThat(refused).hasMessageContaining("deploy/").hasMessageContaining("records");
    }
  }
}
