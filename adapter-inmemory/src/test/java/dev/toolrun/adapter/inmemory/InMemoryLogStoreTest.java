package dev.toolrun.adapter.inmemory;

import static dev.toolrun.ports.out.ContractFixtures.T0;
import static dev.toolrun.ports.out.ContractFixtures.instance;
import static dev.toolrun.ports.out.ContractFixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogPage.LogLine;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.LogStoreContractTest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InMemoryLogStoreTest extends LogStoreContractTest {
  private final InstanceId id = instance(tool("echo", 1), T0).id();

  @Override
  protected LogStore newStore(int maxLines, int maxLineLength) {
    return new InMemoryLogStore(maxLines, maxLineLength);
  }

  @Test
  void theDefaultsKeepTenThousandLinesOf8192Characters() {
    InMemoryLogStore store = new InMemoryLogStore();
    store.append(id, List.of("x".repeat(8_193)));
    store.append(id, IntStream.range(0, 10_000).mapToObj(n -> "line " + n).toList());

    LogPage page = store.read(id, 0, 1);

    assertThat(page.droppedLines()).isEqualTo(1);
    assertThat(page.lines()).containsExactly(new LogLine(1, "line 0"));
    assertThat(new InMemoryLogStore().read(id, 0, 1).lines()).isEmpty();
  }

  @Test
  void aCutNeverSplitsACharacterInTwo() {
    InMemoryLogStore store = new InMemoryLogStore(10, 3);
    store.append(id, List.of("ab\uD83D\uDE00cd"));

    String text = store.read(id, 0, 1).lines().get(0).text();

    assertThat(text).isEqualTo("ab [toolrun: line cut, 4 more characters]");
  }

  @Test
  void readingFromADroppedLineStartsAtTheOldestKeptAndPastTheEndReturnsNothingFromTheEnd() {
    InMemoryLogStore store = new InMemoryLogStore(3, 100);
    store.append(id, List.of("a", "b", "c", "d", "e"));

    LogPage fromStart = store.read(id, 0, 10);
    LogPage pastEnd = store.read(id, 7, 10);

    assertThat(fromStart.lines()).extracting(LogLine::number).containsExactly(2L, 3L, 4L);
    assertThat(fromStart.nextLine()).isEqualTo(5);
    assertThat(pastEnd.lines()).isEmpty();
    assertThat(pastEnd.nextLine()).isEqualTo(5);
  }

  @Test
  void aLogCanBeCompletedBeforeAnythingWasWritten() {
    InMemoryLogStore store = new InMemoryLogStore();
    store.complete(id);
    store.append(id, List.of("too late"));

    LogPage page = store.read(id, 0, 10);

    assertThat(page.complete()).isTrue();
    assertThat(page.lines()).isEmpty();
  }

  @Test
  void concurrentAppendsKeepEveryLineAndEachBatchInOrder() throws Exception {
    InMemoryLogStore store = new InMemoryLogStore(100_000, 100);
    int writers = 8;
    int batches = 200;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      String writer = "w" + w;
      futures.add(
          pool.submit(
              () -> {
                go.await();
                for (int b = 0; b < batches; b++) {
                  store.append(id, List.of(writer + " first " + b, writer + " second " + b));
                }
                return null;
              }));
    }
    go.countDown();
    for (Future<?> f : futures) {
      f.get(30, TimeUnit.SECONDS);
    }
    pool.shutdown();

    List<LogLine> lines = store.read(id, 0, 100_000).lines();
    assertThat(lines).hasSize(writers * batches * 2);
    for (int i = 0; i < lines.size(); i += 2) {
      assertThat(lines.get(i + 1).text())
          .isEqualTo(lines.get(i).text().replace(" first ", " second "));
    }
  }
}
