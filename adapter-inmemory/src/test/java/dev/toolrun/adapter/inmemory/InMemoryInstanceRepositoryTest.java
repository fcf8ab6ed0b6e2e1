package dev.toolrun.adapter.inmemory;

import static dev.toolrun.ports.out.ContractFixtures.T0;
import static dev.toolrun.ports.out.ContractFixtures.instance;
import static dev.toolrun.ports.out.ContractFixtures.instanceWithKey;
import static dev.toolrun.ports.out.ContractFixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.InstanceRepositoryContractTest;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryInstanceRepositoryTest extends InstanceRepositoryContractTest {
  private static final Tool ECHO = tool("echo", 1);
  private static final Tool SLEEP = tool("sleep", 1);

  private final InMemoryInstanceRepository repository = new InMemoryInstanceRepository();

  @Override
  protected InstanceRepository newRepository() {
    return new InMemoryInstanceRepository();
  }

  @Test
  void concurrentAddsWithOneIdempotencyKeyLetExactlyOneWin() throws Exception {
    List<Instance> contenders = new ArrayList<>();
    for (int n = 0; n < 8; n++) {
      contenders.add(instanceWithKey(ECHO, T0.plusSeconds(n), "shared-key"));
    }
    ExecutorService pool = Executors.newFixedThreadPool(contenders.size());
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger wins = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (Instance contender : contenders) {
      futures.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  repository.add(contender);
                  wins.incrementAndGet();
                } catch (ConflictException expected) {
                  // lost the race
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    assertThat(wins).hasValue(1);
    Instance winner = repository.findByIdempotencyKey("shared-key").orElseThrow();
    assertThat(repository.list(InstanceFilter.ALL, PageRequest.first(100)).items())
        .containsExactly(winner);
  }

  @Test
  void anUpdateMayNotChangeTheIdOrTheIdempotencyKey() {
    Instance keyed = instanceWithKey(ECHO, T0, "key-1");
    Instance other = instance(ECHO, T0.plusSeconds(1));
    repository.add(keyed);

    assertThatThrownBy(() -> repository.update(keyed.id(), i -> other))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(repository.find(keyed.id())).contains(keyed);
    assertThat(repository.find(other.id())).isEmpty();
  }

  @Test
  void pagesThroughTenThousandInstancesNewestFirstWithAFilter() {
    List<Instance> sleeps = new ArrayList<>();
    for (int n = 0; n < 10_000; n++) {
      Instance instance = instance(n % 4 == 0 ? SLEEP : ECHO, T0.plusMillis(n));
      repository.add(instance);
      if (n % 4 == 0) {
        sleeps.add(0, instance);
      }
    }
    InstanceFilter onlySleep = new InstanceFilter(Optional.of(new ToolName("sleep")), Set.of());

    List<Instance> listed = new ArrayList<>();
    Page<Instance> page = repository.list(onlySleep, PageRequest.first(PageRequest.MAX_LIMIT));
    listed.addAll(page.items());
    int pages = 1;
    while (page.nextAfter().isPresent()) {
      page = repository.list(onlySleep, new PageRequest(page.nextAfter(), PageRequest.MAX_LIMIT));
      listed.addAll(page.items());
      pages++;
    }

    assertThat(listed).containsExactlyElementsOf(sleeps);
    assertThat(pages).isEqualTo(5);
  }

  @Test
  void aPageMayStartAfterAnyCursor() {
    Instance instance = instance(ECHO, T0);
    repository.add(instance);

    assertThat(repository.list(InstanceFilter.ALL, new PageRequest(Optional.of("~"), 10)).items())
        .containsExactly(instance);
    assertThat(repository.list(InstanceFilter.ALL, new PageRequest(Optional.of("!"), 10)).items())
        .isEmpty();
  }

  @Test
  void theIdempotencyKeyLeadsToTheLatestVersionOfTheInstance() {
    Instance keyed = instanceWithKey(ECHO, T0, "key-1");
    repository.add(keyed);

    Instance creating =
        repository.update(
            keyed.id(), i -> i.transitionTo(InstanceState.CREATING, T0.plusSeconds(1)));

    assertThat(repository.findByIdempotencyKey("key-1")).contains(creating);
  }
}
