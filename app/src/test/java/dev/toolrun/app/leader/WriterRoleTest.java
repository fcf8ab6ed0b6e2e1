package dev.toolrun.app.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.KubernetesLeaderElection;
import dev.toolrun.ports.out.Leadership;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Who starts what as leadership comes and goes, and what a standby and a leader answer. */
class WriterRoleTest {
  private static final Duration PATIENCE = Duration.ofSeconds(5);

  private final List<String> halts = new CopyOnWriteArrayList<>();
  private final List<String> started = new CopyOnWriteArrayList<>();
  private final WriterRole role = WriterRole.elected(halts::add);

  @Test
  void aSoleToolrunWritesFromTheStartAndNotOnceItStops() {
    WriterRole sole = WriterRole.sole();
    assertThat(sole.notWriting()).isEmpty();

    sole.stopping();

    assertThat(sole.notWriting()).contains(WriterRole.SHUTTING_DOWN);
  }

  @Test
  void aStandbyDoesNotWriteAndNamesTheLeaderOnceItIsKnown() {
    KubernetesLeaderElection.Listener listener = role.whenLeading(() -> started.add("core"));
    assertThat(role.notWriting()).contains(WriterRole.STANDBY);

    listener.leaderIs("toolrun-a");

    assertThat(role.notWriting()).contains("standby: not the leader (the leader is toolrun-a)");
    assertThat(started).isEmpty();
  }

  @Test
  void onLeadingTheCoreStartsOffTheElectionsThreadAndOnlyThenAreWritesTaken() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    KubernetesLeaderElection.Listener listener =
        role.whenLeading(
            () -> {
              started.add(Thread.currentThread().getName());
              waitFor(release);
            });

    listener.startedLeading();

    await().atMost(PATIENCE).until(() -> started.size() == 1);
    assertThat(started.get(0)).isNotEqualTo(Thread.currentThread().getName());
    assertThat(role.notWriting()).as("writes wait for the records to be read").isPresent();
    release.countDown();
    await().atMost(PATIENCE).until(() -> role.notWriting().isEmpty());
    assertThat(role.leading()).isTrue();
    assertThat(halts).isEmpty();
  }

  @Test
  void aLeaderThatStopsLeadingUnaskedHaltsAndOneShuttingDownHandsOver() {
    KubernetesLeaderElection.Listener listener = role.whenLeading(() -> started.add("core"));
    listener.startedLeading();
    await().atMost(PATIENCE).until(role::leading);

    listener.stoppedLeading("no renewal within 5 s");

    assertThat(halts).containsExactly("no renewal within 5 s");

    WriterRole other = WriterRole.elected(halts::add);
    KubernetesLeaderElection.Listener otherListener = other.whenLeading(() -> {});
    otherListener.startedLeading();
    await().atMost(PATIENCE).until(other::leading);
    other.stopping();
    otherListener.stoppedLeading("the lease was released");

    assertThat(halts).hasSize(1);
    assertThat(other.notWriting()).contains(WriterRole.SHUTTING_DOWN);
  }

  @Test
  void itsRoleIsStandbyThenLeaderOnceWritesAreTakenAndNoneWhileItShutsDown() {
    assertThat(WriterRole.sole().role()).as("a sole toolrun plays no role").isEmpty();
    KubernetesLeaderElection.Listener listener = role.whenLeading(() -> started.add("core"));
    assertThat(role.role()).contains(Leadership.Role.STANDBY);

    listener.startedLeading();
    await().atMost(PATIENCE).until(role::leading);
    assertThat(role.role()).contains(Leadership.Role.LEADER);

    role.stopping();
    assertThat(role.role()).as("shutting down: not ready, whatever it was").isEmpty();
  }

  @Test
  void aShutdownThatBeginsWhileTheCoreStartsIsNotUndoneByIt() {
    CountDownLatch release = new CountDownLatch(1);
    KubernetesLeaderElection.Listener listener =
        role.whenLeading(
            () -> {
              started.add("core");
              waitFor(release);
            });
    listener.startedLeading();
    await().atMost(PATIENCE).until(() -> started.size() == 1);

    role.stopping();
    release.countDown();

    await()
        .during(Duration.ofMillis(300))
        .atMost(PATIENCE)
        .until(() -> role.notWriting().equals(Optional.of(WriterRole.SHUTTING_DOWN)));
    assertThat(role.leading()).isFalse();
    assertThat(role.role()).isEmpty();
  }

  @Test
  void aCoreThatCannotStartLeadingHalts() {
    KubernetesLeaderElection.Listener listener =
        role.whenLeading(
            () -> {
              throw new IllegalStateException("the API server refused");
            });

    listener.startedLeading();

    await().atMost(PATIENCE).until(() -> halts.size() == 1);
    assertThat(halts.get(0)).contains("could not start leading", "the API server refused");
    assertThat(role.leading()).isFalse();
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
