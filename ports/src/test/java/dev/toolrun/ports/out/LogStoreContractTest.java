package dev.toolrun.ports.out;

import static dev.toolrun.ports.out.ContractFixtures.T0;
import static dev.toolrun.ports.out.ContractFixtures.instance;
import static dev.toolrun.ports.out.ContractFixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.LogPage.LogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link LogStore} must do; each adapter runs it against its implementation. */
public abstract class LogStoreContractTest {

  private LogStore store;
  private final InstanceId id = instance(tool("echo", 1), T0).id();

  /**
   * A new, empty store that keeps at most {@code maxLines} lines of at most {@code maxLineLength}
   * characters per log.
   */
  protected abstract LogStore newStore(int maxLines, int maxLineLength);

  @BeforeEach
  void createStore() {
    store = newStore(100, 200);
  }

  @Test
  void anUnknownLogIsEmptyAndIncomplete() {
    LogPage page = store.read(id, 0, 10);

    assertThat(page.lines()).isEmpty();
    assertThat(page.nextLine()).isZero();
    assertThat(page.complete()).isFalse();
  }

  @Test
  void readsLinesInOrderWithTheirNumbers() {
    store.append(id, List.of("one", "two"));
    store.append(id, List.of("three"));

    LogPage page = store.read(id, 0, 10);

    assertThat(page.lines())
        .containsExactly(new LogLine(0, "one"), new LogLine(1, "two"), new LogLine(2, "three"));
    assertThat(page.nextLine()).isEqualTo(3);
  }

  @Test
  void readingPastTheEndPointsAtTheNextLineToBeWritten() {
    store.append(id, List.of("one", "two", "three"));

    LogPage page = store.read(id, 100, 10);

    assertThat(page.lines()).isEmpty();
    assertThat(page.nextLine()).isEqualTo(3);
    store.append(id, List.of("four"));
    assertThat(store.read(id, page.nextLine(), 10).lines()).containsExactly(new LogLine(3, "four"));
  }

  @Test
  void readingPastTheEndOfAnUnknownLogPointsAtItsFirstLine() {
    assertThat(store.read(id, 100, 10).nextLine()).isZero();
  }

  @Test
  void pagesThroughALog() {
    store.append(id, IntStream.range(0, 25).mapToObj(n -> "line " + n).toList());

    List<String> read = new ArrayList<>();
    long from = 0;
    LogPage page;
    do {
      page = store.read(id, from, 10);
      page.lines().forEach(l -> read.add(l.text()));
      from = page.nextLine();
    } while (!page.lines().isEmpty());

    assertThat(read).hasSize(25).startsWith("line 0").endsWith("line 24");
  }

  @Test
  void dropsTheOldestLinesBeyondTheBoundAndSaysHowMany() {
    store.append(id, IntStream.range(0, 150).mapToObj(n -> "line " + n).toList());

    LogPage page = store.read(id, 0, 1000);

    assertThat(page.droppedLines()).isEqualTo(50);
    assertThat(page.lines()).hasSize(100);
    assertThat(page.lines().get(0)).isEqualTo(new LogLine(50, "line 50"));
    assertThat(page.lines().get(99)).isEqualTo(new LogLine(149, "line 149"));
  }

  @Test
  void cutsOverlongLinesWithAMarker() {
    store.append(id, List.of("x".repeat(500)));

    String text = store.read(id, 0, 1).lines().get(0).text();

    assertThat(text)
        .startsWith("x".repeat(200))
        .contains("[toolrun: line cut, 300 more characters]");
  }

  @Test
  void aCompleteLogTakesNoMoreLines() {
    store.append(id, List.of("last words"));
    store.complete(id);
    store.append(id, List.of("too late"));
    store.append(id, List.of("too late"), "a mark too late");
    store.reportGap(id, "a gap reported too late");

    LogPage page = store.read(id, 0, 10);

    assertThat(page.complete()).isTrue();
    assertThat(page.missing()).isEmpty();
    assertThat(store.mark(id)).isEmpty();
    assertThat(page.lines()).extracting(LogLine::text).containsExactly("last words");
  }

  @Test
  void logsOfDifferentInstancesAreSeparate() {
    InstanceId other = instance(tool("echo", 1), T0.plusSeconds(1)).id();
    store.append(id, List.of("mine"));
    store.append(other, List.of("theirs"));

    assertThat(store.read(id, 0, 10).lines()).extracting(LogLine::text).containsExactly("mine");
    assertThat(store.read(other, 0, 10).lines())
        .extracting(LogLine::text)
        .containsExactly("theirs");
  }

  @Test
  void deletedLogsAreGone() {
    store.append(id, List.of("secret-free output"));
    store.delete(id);

    assertThat(store.read(id, 0, 10).lines()).isEmpty();
  }

  @Test
  void theTailIsTheLastLinesWithTheirNumbers() {
    store.append(id, IntStream.range(0, 30).mapToObj(n -> "line " + n).toList());

    LogPage tail = store.tail(id, 3);

    assertThat(tail.lines())
        .containsExactly(
            new LogLine(27, "line 27"), new LogLine(28, "line 28"), new LogLine(29, "line 29"));
    assertThat(tail.nextLine()).isEqualTo(30);
    assertThat(store.tail(id, 100).lines()).hasSize(30);
    assertThat(store.tail(instance(tool("echo", 1), T0.plusSeconds(9)).id(), 5).lines()).isEmpty();
  }

  @Test
  void theMarkIsTheLastOneAppendedWithTheLinesStoredAfterIt() {
    assertThat(store.mark(id)).isEmpty();
    store.append(id, List.of("one"), "after one");
    store.append(id, List.of("two", "three"), "after three");
    store.append(id, List.of("four", "five"));

    assertThat(store.mark(id)).contains(new LogMark("after three", 2));
    assertThat(store.read(id, 0, 10).lines())
        .extracting(LogLine::text)
        .containsExactly("one", "two", "three", "four", "five");
  }

  @Test
  void aLogWithoutAReportedGapMissesNothing() {
    store.append(id, List.of("one"));
    store.complete(id);

    assertThat(store.read(id, 0, 10).missing()).isEmpty();
  }

  @Test
  void aReportedGapIsOnEveryPageAndTheFirstReasonIsKept() {
    store.append(id, List.of("one"));
    store.reportGap(id, "the stream broke");
    store.reportGap(id, "a later reason");
    store.append(id, List.of("two"));
    store.complete(id);

    assertThat(store.read(id, 0, 10).missing()).isEqualTo(Optional.of("the stream broke"));
    assertThat(store.read(id, 1, 10).missing()).isEqualTo(Optional.of("the stream broke"));
    assertThat(store.tail(id, 1).missing()).isEqualTo(Optional.of("the stream broke"));
    assertThat(store.read(id, 0, 10).complete()).isTrue();
  }

  @Test
  void deletingForgetsTheMarkAndTheGap() {
    store.append(id, List.of("one"), "m");
    store.reportGap(id, "lost");
    store.delete(id);

    assertThat(store.mark(id)).isEmpty();
    assertThat(store.read(id, 0, 10).missing()).isEmpty();
  }
}
