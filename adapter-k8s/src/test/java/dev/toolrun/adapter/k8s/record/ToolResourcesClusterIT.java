package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.LocalCluster;
import dev.toolrun.adapter.k8s.RecordStore;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.ToolRepositoryContractTest;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The tool repository contract on Tool resources of a real API server, as the runner user with
 * toolrun's Role; and every golden tool comes back unchanged, so the CRD's schema prunes nothing
 * toolrun writes.
 */
class ToolResourcesClusterIT extends ToolRepositoryContractTest {
  private static LocalCluster cluster;
  private KubernetesCluster connection;
  private KubernetesToolRepository repository;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Override
  protected ToolRepository newRepository() {
    connection =
        KubernetesCluster.using(
            cluster.runner(), KubernetesConfig.defaults().inNamespace(cluster.namespace()));
    repository = new KubernetesToolRepository(connection, RecordStore.RESOURCES);
    return repository;
  }

  @AfterEach
  void removeRecords() {
    repository.close();
    connection.close();
    var tools =
        cluster
            .admin()
            .genericKubernetesResources(RecordType.API_VERSION, "Tool")
            .inNamespace(cluster.namespace());
    tools.delete();
    await().atMost(Duration.ofSeconds(30)).until(() -> tools.list().getItems().isEmpty());
  }

  @Test
  void everyGoldenToolComesBackFromTheApiServerUnchanged() {
    for (Tool tool : GoldenRecords.tools().values()) {
      repository.add(tool);
    }

    try (KubernetesToolRepository reread =
        new KubernetesToolRepository(connection, RecordStore.RESOURCES)) {
      for (Map.Entry<String, Tool> golden : GoldenRecords.tools().entrySet()) {
        Tool tool = golden.getValue();
        assertThat(reread.versions(tool.name()))
            .as(golden.getKey())
            .filteredOn(t -> t.version() == tool.version())
            .containsExactly(tool);
      }
    }
  }

  @Test
  void aRegisteredVersionIsReady() {
    Tool tool = GoldenRecords.tools().values().iterator().next();
    repository.add(tool);

    var stored =
        RecordType.TOOLS
            .operation()
            .apply(cluster.admin())
            .inNamespace(cluster.namespace())
            .withName(ToolResources.LAYOUT.recordName(tool.name(), tool.version()))
            .get();
    @SuppressWarnings("unchecked")
    var status = (Map<String, Object>) stored.getAdditionalProperties().get("status");
    assertThat(status.get("conditions").toString()).contains("type=Ready", "status=True");
    // The VERSION column reads the status, as it does for a registration request.
    assertThat(status).containsEntry("version", tool.version());
  }
}
