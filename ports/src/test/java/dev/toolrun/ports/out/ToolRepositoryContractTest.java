package dev.toolrun.ports.out;

import static dev.toolrun.ports.out.ContractFixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ToolRepository} must do; each adapter runs it against its implementation. */
public abstract class ToolRepositoryContractTest {

  private ToolRepository repository;

  /** A new, empty repository. */
  protected abstract ToolRepository newRepository();

  @BeforeEach
  void createRepository() {
    repository = newRepository();
  }

  @Test
  void keepsEveryVersionInOrder() {
    repository.add(tool("echo", 1));
    repository.add(tool("echo", 2));

    assertThat(repository.versions(new ToolName("echo")))
        .extracting(Tool::version)
        .containsExactly(1, 2);
    assertThat(repository.latest(new ToolName("echo"))).map(Tool::version).contains(2);
    assertThat(repository.versions(new ToolName("echo")).get(0)).isEqualTo(tool("echo", 1));
  }

  @Test
  void anUnknownToolHasNoVersions() {
    assertThat(repository.versions(new ToolName("missing"))).isEmpty();
    assertThat(repository.latest(new ToolName("missing"))).isEmpty();
  }

  @Test
  void aVersionCanBeStoredOnlyOnce() {
    repository.add(tool("echo", 1));

    assertThatThrownBy(() -> repository.add(tool("echo", 1))).isInstanceOf(ConflictException.class);
  }

  @Test
  void versionsMustFollowEachOther() {
    assertThatThrownBy(() -> repository.add(tool("echo", 2))).isInstanceOf(ConflictException.class);
    repository.add(tool("echo", 1));
    assertThatThrownBy(() -> repository.add(tool("echo", 3))).isInstanceOf(ConflictException.class);
  }

  @Test
  void concurrentAddsOfTheSameVersionLetExactlyOneWin() throws Exception {
    repository.add(tool("race", 1));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger wins = new AtomicInteger();
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      futures.add(
          pool.submit(
              () -> {
                go.await();
                try {
                  repository.add(tool("race", 2));
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
    assertThat(repository.versions(new ToolName("race"))).hasSize(2);
  }

  @Test
  void listsTheLatestVersionOfEachToolByNameInPages() {
    for (String name : List.of("delta", "alpha", "charlie", "bravo", "echo")) {
      repository.add(tool(name, 1));
    }
    repository.add(tool("bravo", 2));

    Page<Tool> first = repository.listLatest(PageRequest.first(2));
    assertThat(first.items()).extracting(t -> t.name().value()).containsExactly("alpha", "bravo");
    assertThat(first.items().get(1).version()).isEqualTo(2);
    assertThat(first.nextAfter()).contains("bravo");

    Page<Tool> second = repository.listLatest(new PageRequest(first.nextAfter(), 2));
    assertThat(second.items())
        .extracting(t -> t.name().value())
        .containsExactly("charlie", "delta");

    Page<Tool> last = repository.listLatest(new PageRequest(second.nextAfter(), 2));
    assertThat(last.items()).extracting(t -> t.name().value()).containsExactly("echo");
    assertThat(last.nextAfter()).isEmpty();
  }

  @Test
  void removesEveryVersion() {
    repository.add(tool("echo", 1));
    repository.add(tool("echo", 2));

    assertThat(repository.remove(new ToolName("echo"))).isTrue();
    assertThat(repository.versions(new ToolName("echo"))).isEmpty();
    assertThat(repository.remove(new ToolName("echo"))).isFalse();
    assertThat(repository.listLatest(PageRequest.first(10)).items()).isEmpty();
    assertThat(repository.listLatest(new PageRequest(Optional.of("zzz"), 10)).items()).isEmpty();
  }

  @Test
  void aRemovedToolCanBeRegisteredAfresh() {
    repository.add(tool("echo", 1));
    repository.remove(new ToolName("echo"));

    repository.add(tool("echo", 1));

    assertThat(repository.versions(new ToolName("echo"))).hasSize(1);
  }
}
