package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.Launches;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.ToolResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Instance records while the API server fails: an end that cannot be stored is not taken as stored
 * (the caller is told, and retries), and the steps in between are written once it answers again.
 * Nothing is lost.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRecordsFaultTest {
  private static final String NAMESPACE = "records";
  private static final String RECORD_PATH =
      "/api/v1/namespaces/"
          + NAMESPACE
          + "/configmaps/"
          + InstanceConfigMaps.recordName(Launches.ID);

  KubernetesMockServer server;
  private KubernetesClient client;
  private KubernetesCluster connection;
  private KubernetesInstanceRepository records;

  @BeforeEach
  void connect() {
    // One quick retry per request, as fabric8 would do, so the outage reaches toolrun's own
    // retries.
    client =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(server.createClient().getConfiguration())
                    .withRequestRetryBackoffLimit(1)
                    .withRequestRetryBackoffInterval(10)
                    .build())
            .build();
    connection =
        KubernetesCluster.using(client, KubernetesConfig.defaults().inNamespace(NAMESPACE));
    records = new KubernetesInstanceRepository(connection);
    records.add(
        Instance.launch(
            Launches.ID,
            Launches.everything().tool(),
            new Parameters(Map.of("n", 1)),
            Set.of(),
            Optional.empty(),
            Launches.T0));
  }

  @AfterEach
  void close() {
    records.close();
    connection.close();
    client.close();
  }

  /** The API server answers 503 to the next {@code requests} writes of the record. */
  private void outageForNextWrites(int requests) {
    server
        .expect()
        .patch()
        .withPath(RECORD_PATH)
        .andReturn(503, "etcd is unavailable")
        .times(requests);
  }

  private String storedState() {
    ConfigMap record =
        client
            .configMaps()
            .inNamespace(NAMESPACE)
            .withName(InstanceConfigMaps.recordName(Launches.ID))
            .get();
    return record.getMetadata().getLabels().get(InstanceConfigMaps.STATE_LABEL);
  }

  @Test
  void anEndThatCannotBeStoredIsRefusedAndStoredWhenRetried() {
    records.update(
        Launches.ID,
        i ->
            i.transitionTo(InstanceState.CREATING, Launches.T0)
                .transitionTo(InstanceState.STARTING, Launches.T0));
    outageForNextWrites(2);

    assertThatThrownBy(
            () ->
                records.update(
                    Launches.ID,
                    i -> i.succeed(Optional.of(new ToolResult("{}")), Launches.T0.plusSeconds(1))))
        .isInstanceOf(RuntimeUnavailableException.class)
        .hasMessageContaining("HTTP 503");
    assertThat(records.find(Launches.ID))
        .get()
        .extracting(Instance::state)
        .as("not ended until stored")
        .isEqualTo(InstanceState.STARTING);

    Instance ended =
        records.update(
            Launches.ID,
            i -> i.succeed(Optional.of(new ToolResult("{}")), Launches.T0.plusSeconds(1)));

    assertThat(ended.state()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(storedState()).isEqualTo("SUCCEEDED");
  }

  @Test
  void stepsThatCannotBeStoredAreWrittenOnceTheServerAnswersAgain() {
    outageForNextWrites(2);

    records.update(Launches.ID, i -> i.transitionTo(InstanceState.CREATING, Launches.T0));

    assertThat(records.find(Launches.ID))
        .get()
        .extracting(Instance::state)
        .isEqualTo(InstanceState.CREATING);
    await().atMost(Duration.ofSeconds(15)).until(() -> "CREATING".equals(storedState()));
  }
}
