package dev.toolrun.adapter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Which pod says what, on fabric8's mock API server: a replica marks its own pod a standby at
 * start, the leader on leading (and the previous holder's pod a standby, only while that still says
 * leader), and a standby again on shutdown.
 */
@EnableKubernetesMockClient(crud = true)
class PodRoleLabelTest {
  private static final String NAMESPACE = "roles";
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  KubernetesMockServer server;
  KubernetesClient client;
  private KubernetesAdapter adapter;

  @BeforeEach
  void adapter() {
    adapter =
        KubernetesAdapter.using(
            client,
            KubernetesConfig.localCluster().inNamespace(NAMESPACE),
            new InMemoryLogStore(),
            Clock.systemUTC());
  }

  @AfterEach
  void close() {
    adapter.close();
  }

  private void pod(String name, Map<String, String> labels) {
    client
        .pods()
        .inNamespace(NAMESPACE)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(labels)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("busybox")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  private Optional<String> role(String pod) {
    Pod found = client.pods().inNamespace(NAMESPACE).withName(pod).get();
    return Optional.ofNullable(found.getMetadata().getLabels()).map(l -> l.get(PodRoleLabel.KEY));
  }

  private void awaitRole(String pod, String role) {
    await().atMost(PATIENCE).until(() -> role(pod).equals(Optional.of(role)));
  }

  @Test
  void aReplicaStartsAsAStandbyWhateverItsPodSaidBefore() {
    pod("toolrun-b", Map.of("app.kubernetes.io/name", "toolrun", PodRoleLabel.KEY, "leader"));

    adapter.podRoleLabel("toolrun-b").standby();

    awaitRole("toolrun-b", PodRoleLabel.STANDBY);
    assertThat(client.pods().inNamespace(NAMESPACE).withName("toolrun-b").get())
        .extracting(p -> p.getMetadata().getLabels().get("app.kubernetes.io/name"))
        .as("its other labels are kept")
        .isEqualTo("toolrun");
  }

  @Test
  void onLeadingItMarksItselfTheLeaderAndThePreviousHolderAStandby() {
    pod("toolrun-a", Map.of(PodRoleLabel.KEY, "leader"));
    pod("toolrun-b", Map.of(PodRoleLabel.KEY, "standby"));
    PodRoleLabel b = adapter.podRoleLabel("toolrun-b");
    b.standby();
    b.leaderIs("toolrun-a");

    b.leaderIs("toolrun-b");
    b.leading();

    awaitRole("toolrun-b", PodRoleLabel.LEADER);
    awaitRole("toolrun-a", PodRoleLabel.STANDBY);
  }

  @Test
  void thePreviousHolderIsFoundWhicheverIsToldFirstItsLeadingOrThatItHoldsTheLease() {
    pod("toolrun-a", Map.of(PodRoleLabel.KEY, "leader"));
    pod("toolrun-b", Map.of());
    PodRoleLabel b = adapter.podRoleLabel("toolrun-b");
    b.leaderIs("toolrun-a");

    b.leading();
    b.leaderIs("toolrun-b");

    awaitRole("toolrun-b", PodRoleLabel.LEADER);
    awaitRole("toolrun-a", PodRoleLabel.STANDBY);
  }

  @Test
  void aPreviousHolderThatNoLongerSaysLeaderIsLeftAsItIs() {
    // Not a value toolrun writes: a pod that says anything but leader is not touched.
    pod("toolrun-a", Map.of(PodRoleLabel.KEY, "drained"));
    pod("toolrun-b", Map.of());
    PodRoleLabel b = adapter.podRoleLabel("toolrun-b");
    b.leaderIs("toolrun-a");
    b.leaderIs("toolrun-b");

    b.leading();

    awaitRole("toolrun-b", PodRoleLabel.LEADER);
    await()
        .during(Duration.ofMillis(500))
        .atMost(PATIENCE)
        .until(() -> role("toolrun-a").equals(Optional.of("drained")));
  }

  @Test
  void aPreviousHolderWhosePodIsGoneIsNoError() {
    pod("toolrun-b", Map.of());
    PodRoleLabel b = adapter.podRoleLabel("toolrun-b");
    b.leaderIs("toolrun-gone");
    b.leaderIs("toolrun-b");

    b.leading();

    awaitRole("toolrun-b", PodRoleLabel.LEADER);
    assertThat(b.standbyNow(Duration.ofSeconds(5))).as("the sender goes on working").isTrue();
    assertThat(role("toolrun-b")).contains(PodRoleLabel.STANDBY);
  }

  @Test
  void onShutdownTheLeadersPodIsAStandbyBeforeItReturns() {
    pod("toolrun-a", Map.of());
    PodRoleLabel a = adapter.podRoleLabel("toolrun-a");
    a.leading();
    awaitRole("toolrun-a", PodRoleLabel.LEADER);

    assertThat(a.standbyNow(Duration.ofSeconds(5))).isTrue();

    assertThat(role("toolrun-a")).contains(PodRoleLabel.STANDBY);
  }

  @Test
  void aPodThatDoesNotExistIsNotRetriedForever() {
    PodRoleLabel missing = adapter.podRoleLabel("toolrun-missing");

    assertThat(missing.standbyNow(Duration.ofSeconds(5)))
        .as("a wrong pod name is a configuration mistake, logged, not a passing fault")
        .isTrue();
  }

  /** The API server answers 503 to the next {@code times} patches of {@code pod}. */
  private void refusePatches(String pod, int times) {
    server
        .expect()
        .patch()
        .withPath("/api/v1/namespaces/" + NAMESPACE + "/pods/" + pod)
        .andReturn(503, "{\"kind\":\"Status\",\"code\":503}")
        .times(times);
  }

  @Test
  void aMarkTheApiServerRefusesIsSentAgainUntilItLands() {
    pod("toolrun-a", Map.of());
    pod("toolrun-b", Map.of(PodRoleLabel.KEY, "leader"));
    refusePatches("toolrun-a", 2);
    refusePatches("toolrun-b", 2);
    PodRoleLabel a = adapter.podRoleLabel("toolrun-a");
    a.leaderIs("toolrun-b");
    a.leaderIs("toolrun-a");

    a.leading();

    assertThat(role("toolrun-a")).as("refused for now").isEmpty();
    awaitRole("toolrun-a", PodRoleLabel.LEADER);
    awaitRole("toolrun-b", PodRoleLabel.STANDBY);
  }
}
