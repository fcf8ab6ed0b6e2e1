package dev.toolrun.ports.out;

import static dev.toolrun.ports.out.ContractFixtures.T0;
import static dev.toolrun.ports.out.ContractFixtures.instance;
import static dev.toolrun.ports.out.ContractFixtures.instanceWithKey;
import static dev.toolrun.ports.out.ContractFixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.domain.instance.ServiceHealth;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link InstanceRepository} must do; each adapter runs it against its implementation.
 */
public abstract class InstanceRepositoryContractTest {

  private static final Tool ECHO = tool("echo", 1);
  private static final Tool SLEEP = tool("sleep", 1);

  private InstanceRepository repository;

  /** A new, empty repository. */
  protected abstract InstanceRepository newRepository();

  /**
   * Deletes the record of {@code id} in the store itself, as an operator would by hand, not through
   * the repository; {@code false} for a store that nothing outside the repository can reach (the
   * test that needs it is then skipped).
   */
  protected boolean deleteOutsideTheRepository(InstanceId id) {
    return false;
  }

  @BeforeEach
  void createRepository() {
    repository = newRepository();
  }

  @Test
  void storesAndFindsAnInstanceWithEverythingItCarries() {
    Instance done =
        instance(ECHO, T0)
            .transitionTo(InstanceState.CREATING, T0.plusSeconds(1))
            .transitionTo(InstanceState.STARTING, T0.plusSeconds(2))
            .succeed(Optional.of(new ToolResult("{\"answer\":42}")), T0.plusSeconds(3));
    repository.add(instance(ECHO, T0.minusSeconds(5)));
    repository.add(done);

    assertThat(repository.find(done.id())).contains(done);
  }

  @Test
  void keepsTheSecretReferenceAnInstanceWasLaunchedWith() {
    Tool withSecret =
        new Tool(
            new ToolName("deployer"),
            1,
            "takes a token",
            ToolSpec.task(ContainerImage.of("busybox:1")).secretInput("API_TOKEN").build(),
            T0);
    Instance byReference =
        Instance.launch(
            InstanceId.generate(T0, new Random(3)),
            withSecret,
            Parameters.NONE,
            Set.of("API_TOKEN"),
            Optional.of(new SecretReference("deployer-token")),
            Optional.empty(),
            T0);
    repository.add(byReference);

    Instance running = byReference.transitionTo(InstanceState.CREATING, T0.plusSeconds(1));
    repository.update(byReference.id(), i -> running);

    assertThat(repository.find(byReference.id())).contains(running);
    assertThat(repository.find(byReference.id()).orElseThrow().secretReference())
        .contains(new SecretReference("deployer-token"));
  }

  @Test
  void retainedBytesAreTheSumOfTheRecordsThroughAddsUpdatesAndRemovals() {
    assertThat(repository.retainedBytes()).isZero();
    Instance first = instance(ECHO, T0);
    Instance second = instance(SLEEP, T0.plusSeconds(1));
    repository.add(first);
    repository.add(second);
    assertThat(repository.retainedBytes())
        .isEqualTo(first.retainedBytes() + second.retainedBytes());

    Instance done =
        repository.update(
            first.id(),
            i ->
                i.transitionTo(InstanceState.CREATING, T0.plusSeconds(2))
                    .transitionTo(InstanceState.STARTING, T0.plusSeconds(2))
                    .succeed(
                        Optional.of(new ToolResult("{\"text\":\"" + "r".repeat(2000) + "\"}")),
                        T0.plusSeconds(3)));
    assertThat(done.retainedBytes()).isGreaterThan(first.retainedBytes() + 4000);
    assertThat(repository.retainedBytes()).isEqualTo(done.retainedBytes() + second.retainedBytes());

    repository.remove(second.id());
    assertThat(repository.retainedBytes()).isEqualTo(done.retainedBytes());
    repository.remove(first.id());
    assertThat(repository.retainedBytes()).isZero();
  }

  @Test
  void anUnknownIdIsNotFound() {
    InstanceId unknown = instance(ECHO, T0).id();

    assertThat(repository.find(unknown)).isEmpty();
    assertThatThrownBy(() -> repository.update(unknown, i -> i))
        .isInstanceOf(InstanceNotFoundException.class);
  }

  @Test
  void anIdCanBeAddedOnlyOnce() {
    Instance instance = instance(ECHO, T0);
    repository.add(instance);

    assertThatThrownBy(() -> repository.add(instance)).isInstanceOf(ConflictException.class);
  }

  @Test
  void anIdempotencyKeyBelongsToOneInstance() {
    Instance first = instanceWithKey(ECHO, T0, "key-1");
    repository.add(first);

    assertThat(repository.findByIdempotencyKey("key-1")).contains(first);
    assertThat(repository.findByIdempotencyKey("key-2")).isEmpty();
    assertThatThrownBy(() -> repository.add(instanceWithKey(ECHO, T0.plusSeconds(1), "key-1")))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void updatesApplyToTheLatestVersion() {
    Instance instance = instance(ECHO, T0);
    repository.add(instance);

    repository.update(
        instance.id(), i -> i.transitionTo(InstanceState.CREATING, T0.plusSeconds(1)));
    Instance failed =
        repository.update(
            instance.id(),
            i -> i.fail(new FailureReason.ExitedNonZero(3), Optional.empty(), T0.plusSeconds(2)));

    assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
    assertThat(repository.find(instance.id())).contains(failed);
  }

  @Test
  void aFailedUpdateLeavesTheInstanceAsItWas() {
    Instance instance = instance(ECHO, T0);
    repository.add(instance);

    assertThatThrownBy(
            () -> repository.update(instance.id(), i -> i.transitionTo(InstanceState.RUNNING, T0)))
        .isInstanceOf(IllegalTransitionException.class);
    assertThat(repository.find(instance.id())).contains(instance);
  }

  @Test
  void concurrentUpdatesAreNeverLost() throws Exception {
    Tool service = ContractFixtures.service("web");
    Instance instance = instance(service, T0);
    repository.add(instance);
    int threads = 8;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      futures.add(
          pool.submit(
              () -> {
                go.await();
                for (int n = 0; n < perThread; n++) {
                  repository.update(
                      instance.id(), i -> i.withHealth(i.health().failed(T0, "check failed")));
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : futures) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(repository.find(instance.id()))
        .map(Instance::health)
        .map(ServiceHealth::consecutiveFailures)
        .contains(threads * perThread);
  }

  @Test
  void listsNewestFirstInPages() {
    List<Instance> added = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      Instance i = instance(ECHO, T0.plusSeconds(n));
      repository.add(i);
      added.add(i);
    }

    Page<Instance> first = repository.list(InstanceFilter.ALL, PageRequest.first(2));
    Page<Instance> second =
        repository.list(InstanceFilter.ALL, new PageRequest(first.nextAfter(), 2));
    Page<Instance> third =
        repository.list(InstanceFilter.ALL, new PageRequest(second.nextAfter(), 2));

    assertThat(first.items()).containsExactly(added.get(4), added.get(3));
    assertThat(second.items()).containsExactly(added.get(2), added.get(1));
    assertThat(third.items()).containsExactly(added.get(0));
    assertThat(third.nextAfter()).isEmpty();
  }

  @Test
  void filtersByToolAndState() {
    Instance echoPending = instance(ECHO, T0);
    Instance echoCreating =
        instance(ECHO, T0.plusSeconds(1)).transitionTo(InstanceState.CREATING, T0.plusSeconds(2));
    Instance sleepPending = instance(SLEEP, T0.plusSeconds(3));
    repository.add(echoPending);
    repository.add(echoCreating);
    repository.add(sleepPending);

    assertThat(
            repository
                .list(
                    new InstanceFilter(Optional.of(new ToolName("echo")), Set.of()),
                    PageRequest.first(10))
                .items())
        .containsExactly(echoCreating, echoPending);
    assertThat(
            repository
                .list(
                    new InstanceFilter(Optional.empty(), Set.of(InstanceState.PENDING)),
                    PageRequest.first(10))
                .items())
        .containsExactly(sleepPending, echoPending);
    assertThat(
            repository
                .list(
                    new InstanceFilter(
                        Optional.of(new ToolName("sleep")), Set.of(InstanceState.CREATING)),
                    PageRequest.first(10))
                .items())
        .isEmpty();
  }

  @Test
  void pagingStaysCorrectWhileInstancesAreAdded() {
    Instance older = instance(ECHO, T0);
    Instance newer = instance(ECHO, T0.plusSeconds(1));
    repository.add(older);
    repository.add(newer);
    Page<Instance> first = repository.list(InstanceFilter.ALL, PageRequest.first(1));

    repository.add(instance(ECHO, Instant.parse("2027-01-01T00:00:00Z")));
    Page<Instance> second =
        repository.list(InstanceFilter.ALL, new PageRequest(first.nextAfter(), 1));

    assertThat(first.items()).containsExactly(newer);
    assertThat(second.items()).containsExactly(older);
  }

  @Test
  void aRemovedInstanceIsGoneWithItsKey() {
    Instance keyed = instanceWithKey(ECHO, T0, "key-9");
    Instance other = instance(ECHO, T0.plusSeconds(1));
    repository.add(keyed);
    repository.add(other);

    assertThat(repository.remove(keyed.id())).isTrue();
    assertThat(repository.remove(keyed.id())).isFalse();
    assertThat(repository.find(keyed.id())).isEmpty();
    assertThat(repository.findByIdempotencyKey("key-9")).isEmpty();
    assertThat(repository.list(InstanceFilter.ALL, PageRequest.first(10)).items())
        .containsExactly(other);
  }

  @Test
  void aRemovedRecordIsToldToTheListenersOnceAfterItIsGone() {
    Instance instance = instance(ECHO, T0);
    repository.add(instance);
    List<InstanceId> told = new CopyOnWriteArrayList<>();
    List<Boolean> foundWhenTold = new CopyOnWriteArrayList<>();
    repository.whenRemoved(
        id -> {
          told.add(id);
          foundWhenTold.add(repository.find(id).isPresent());
        });

    repository.remove(instance.id());
    repository.remove(instance.id());
    repository.remove(instance(ECHO, T0.plusSeconds(9)).id());

    assertThat(told).containsExactly(instance.id());
    assertThat(foundWhenTold).containsExactly(false);
  }

  @Test
  void aRecordDeletedOutsideTheRepositoryIsForgottenAndToldToTheListeners() {
    Instance running =
        instanceWithKey(ECHO, T0, "key-gone")
            .transitionTo(InstanceState.CREATING, T0.plusSeconds(1))
            .transitionTo(InstanceState.STARTING, T0.plusSeconds(2));
    Instance other = instance(SLEEP, T0.plusSeconds(3));
    repository.add(running);
    repository.add(other);
    List<InstanceId> told = new CopyOnWriteArrayList<>();
    repository.whenRemoved(told::add);

    assumeTrue(
        deleteOutsideTheRepository(running.id()), "nothing but the repository reaches its store");

    await().atMost(Duration.ofSeconds(10)).until(() -> !told.isEmpty());
    assertThat(told).containsExactly(running.id());
    assertThat(repository.find(running.id())).isEmpty();
    assertThat(repository.findByIdempotencyKey("key-gone")).isEmpty();
    assertThatThrownBy(() -> repository.update(running.id(), i -> i))
        .isInstanceOf(InstanceNotFoundException.class);
    assertThat(repository.find(other.id())).contains(other);
    assertThat(repository.remove(running.id())).isFalse();
    assertThat(told).containsExactly(running.id());
  }
}
