package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.Launches;
import dev.toolrun.adapter.k8s.LocalCluster;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.IdempotencyKey;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.ToolName;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What one process stores, the next one (after a restart) reads back: on a real API server, as the
 * runner user with toolrun's Role.
 */
class KubernetesRecordsDurabilityClusterIT {
  private static LocalCluster cluster;
  private static KubernetesConfig CONFIG;
  private static KubernetesClient client;

  @org.junit.jupiter.api.BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start();
    // These are the ConfigMap records' (kubernetes.records=configmaps), with their Role.
    cluster.bindRole(LocalCluster.CONFIG_MAP_RECORDS_ROLE);
    CONFIG = KubernetesConfig.defaults().inNamespace(cluster.namespace());
    client = cluster.runner();
  }

  @org.junit.jupiter.api.AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @org.junit.jupiter.api.AfterEach
  void removeRecords() {
    cluster
        .admin()
        .configMaps()
        .inNamespace(cluster.namespace())
        .withLabel(Records.RECORD)
        .delete();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                cluster
                    .admin()
                    .configMaps()
                    .inNamespace(cluster.namespace())
                    .withLabel(Records.RECORD)
                    .list()
                    .getItems()
                    .isEmpty());
  }

  private Instance launched(String key) {
    return Instance.launch(
        Launches.ID,
        Launches.everything().tool(),
        new Parameters(Map.of("n", 1)),
        Set.of("API_TOKEN"),
        Optional.of(new IdempotencyKey(key, "fingerprint")),
        Launches.T0);
  }

  @Test
  void toolsAndEndedInstancesSurviveARestart() {
    Instance done;
    try (KubernetesCluster first = KubernetesCluster.using(client, CONFIG);
        KubernetesToolRepository tools = new KubernetesToolRepository(first);
        KubernetesInstanceRepository instances = new KubernetesInstanceRepository(first)) {
      var everything = Launches.everything().tool();
      tools.add(
          new dev.toolrun.domain.tool.Tool(
              everything.name(), 1, everything.description(), everything.spec(), Launches.T0));
      instances.add(launched("key-1"));
      done =
          instances.update(
              Launches.ID,
              i ->
                  i.transitionTo(InstanceState.CREATING, Launches.T0.plusSeconds(1))
                      .transitionTo(InstanceState.STARTING, Launches.T0.plusSeconds(2))
                      .succeed(
                          Optional.of(new ToolResult("{\"ok\":true}")),
                          Launches.T0.plusSeconds(3)));
    }

    try (KubernetesCluster second = KubernetesCluster.using(client, CONFIG);
        KubernetesToolRepository tools = new KubernetesToolRepository(second);
        KubernetesInstanceRepository instances = new KubernetesInstanceRepository(second)) {
      assertThat(tools.versions(new ToolName("word-count"))).hasSize(1);
      assertThat(instances.find(Launches.ID)).contains(done);
      assertThat(instances.findByIdempotencyKey("key-1")).contains(done);
    }
  }

  @Test
  void aRecordNeverUpdatedReadsBackAsLaunched() {
    try (KubernetesCluster first = KubernetesCluster.using(client, CONFIG);
        KubernetesInstanceRepository instances = new KubernetesInstanceRepository(first)) {
      instances.add(launched("key-2"));
    }
    try (KubernetesCluster second = KubernetesCluster.using(client, CONFIG);
        KubernetesInstanceRepository instances = new KubernetesInstanceRepository(second)) {
      assertThat(instances.find(Launches.ID)).contains(launched("key-2"));
    }
  }

  @Test
  void stepsBetweenLaunchAndEndAreWrittenTogetherShortlyAfter() {
    try (KubernetesCluster cluster = KubernetesCluster.using(client, CONFIG);
        KubernetesInstanceRepository instances = new KubernetesInstanceRepository(cluster)) {
      instances.add(launched("key-3"));
      instances.update(
          Launches.ID, i -> i.transitionTo(InstanceState.CREATING, Launches.T0.plusSeconds(1)));
      Instance starting =
          instances.update(
              Launches.ID, i -> i.transitionTo(InstanceState.STARTING, Launches.T0.plusSeconds(2)));

      assertThat(storedState()).as("not written at once").isNull();
      await().atMost(Duration.ofSeconds(10)).until(() -> "STARTING".equals(storedState()));
      try (KubernetesCluster later = KubernetesCluster.using(client, CONFIG);
          KubernetesInstanceRepository reread = new KubernetesInstanceRepository(later)) {
        assertThat(reread.find(Launches.ID)).contains(starting);
      }
    }
  }

  @Test
  void anEndIsWrittenBeforeTheUpdateReturns() {
    try (KubernetesCluster cluster = KubernetesCluster.using(client, CONFIG);
        KubernetesInstanceRepository instances = new KubernetesInstanceRepository(cluster)) {
      instances.add(launched("key-4"));
      instances.update(
          Launches.ID,
          i -> i.fail(new FailureReason.Cancelled(), Optional.empty(), Launches.T0.plusSeconds(1)));

      assertThat(storedState()).isEqualTo("CANCELLED");
    }
  }

  /** The state in the stored status document, as another process would read it. */
  private String storedState() {
    var record =
        cluster
            .admin()
            .configMaps()
            .inNamespace(CONFIG.namespace())
            .withName(InstanceConfigMaps.recordName(Launches.ID))
            .get();
    String status = record.getData().get(InstanceConfigMaps.STATUS);
    return status == null
        ? null
        : (String)
            new io.fabric8.kubernetes.client.utils.KubernetesSerialization()
                .unmarshal(status, Map.class)
                .get("state");
  }
}
