package dev.toolrun.adapter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The election on fabric8's mock API server: one of two replicas leads, a leader that is closed
 * hands the Lease over at once, and one whose Lease is taken from it is told to stop.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesLeaderElectionTest {
  private static final String NAMESPACE = "election";
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  KubernetesClient client;
  private final List<KubernetesAdapter> adapters = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() {
    adapters.forEach(KubernetesAdapter::close);
  }

  /** What one replica's election told it, in order. */
  private static final class Told implements KubernetesLeaderElection.Listener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void startedLeading() {
      events.add("started");
    }

    @Override
    public void stoppedLeading(String reason) {
      events.add("stopped: " + reason);
    }

    @Override
    public void leaderIs(String identity) {
      events.add("leader " + identity);
    }
  }

  private KubernetesLeaderElection election(String identity) {
    KubernetesAdapter adapter =
        KubernetesAdapter.using(
            client,
            KubernetesConfig.localCluster().inNamespace(NAMESPACE),
            new InMemoryLogStore(),
            Clock.systemUTC());
    adapters.add(adapter);
    return adapter.leaderElection(
        new LeaderLease(
            "toolrun-leader",
            identity,
            Duration.ofSeconds(3),
            Duration.ofSeconds(2),
            Duration.ofMillis(200)));
  }

  private Lease lease() {
    return client.resources(Lease.class).inNamespace(NAMESPACE).withName("toolrun-leader").get();
  }

  @Test
  void oneLeadsTheOtherStandsByAndTakesOverAtOnceWhenTheLeaderIsClosed() {
    Told a = new Told();
    Told b = new Told();
    KubernetesLeaderElection first = election("a");
    first.start(a);
    await().atMost(PATIENCE).until(() -> a.events.contains("started"));
    election("b").start(b);
    await().atMost(PATIENCE).until(() -> b.events.contains("leader a"));
    assertThat(b.events).doesNotContain("started");

    first.close();

    assertThat(a.events).last().asString().startsWith("stopped: ");
    // fabric8 releases by renewing for a lease of 1 s (its merge patch cannot remove the holder):
    // the others may take it a second later instead of at the end of the 3 s lease.
    assertThat(lease().getSpec().getLeaseDurationSeconds()).as("released").isEqualTo(1);
    await().atMost(Duration.ofSeconds(3)).until(() -> b.events.contains("started"));
    assertThat(lease().getSpec().getHolderIdentity()).isEqualTo("b");
  }

  @Test
  void aLeaderWhoseLeaseIsTakenIsToldToStopOnce() {
    Told a = new Told();
    election("a").start(a);
    await().atMost(PATIENCE).until(() -> a.events.contains("started"));

    client
        .resources(Lease.class)
        .inNamespace(NAMESPACE)
        .withName("toolrun-leader")
        .edit(
            lease -> {
              lease.getSpec().setHolderIdentity("intruder");
              lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
              return lease;
            });

    await()
        .atMost(PATIENCE)
        .until(() -> a.events.stream().anyMatch(event -> event.startsWith("stopped: ")));
    assertThat(a.events.stream().filter(event -> event.startsWith("stopped: "))).hasSize(1);
  }
}
