package dev.toolrun.adapter.logfile;

import static dev.toolrun.ports.out.ContractFixtures.T0;
import static dev.toolrun.ports.out.ContractFixtures.instance;
import static dev.toolrun.ports.out.ContractFixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.LogMark;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogPage.LogLine;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.LogStoreContractTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileLogStoreTest extends LogStoreContractTest {
  @TempDir Path directory;
  private final InstanceId id = instance(tool("echo", 1), T0).id();
  private final List<FileLogStore> stores = new ArrayList<>();

  @Override
  protected LogStore newStore(int maxLines, int maxLineLength) {
    return track(
        new FileLogStore(
            new FileLogStoreConfig(directory, Long.MAX_VALUE, maxLineLength, Duration.ZERO),
            maxLines));
  }

  private FileLogStore store(long maxBytes) {
    return track(
        new FileLogStore(new FileLogStoreConfig(directory, maxBytes, 8192, Duration.ofSeconds(1))));
  }

  private FileLogStore track(FileLogStore store) {
    stores.add(store);
    return store;
  }

  @AfterEach
  void closeStores() {
    stores.forEach(FileLogStore::close);
  }

  private static List<String> lines(int from, int to) {
    return IntStream.range(from, to).mapToObj(n -> "line " + n).toList();
  }

  private static List<String> readAll(LogStore store, InstanceId id) {
    List<String> read = new ArrayList<>();
    long from = 0;
    LogPage page;
    do {
      page = store.read(id, from, 10_000);
      page.lines().forEach(l -> read.add(l.text()));
      from = page.nextLine();
    } while (!page.lines().isEmpty());
    return read;
  }

  @Test
  void aReopenedStoreServesEveryLineAppendedBeforeAndItsMarkAndGap() {
    FileLogStore first = store(Long.MAX_VALUE);
    first.append(id, lines(0, 5000), "at 5000");
    first.append(id, lines(5000, 5003));
    first.reportGap(id, "the stream was cut");
    // No close: the process that wrote it is gone without a word.

    FileLogStore second = store(Long.MAX_VALUE);

    assertThat(readAll(second, id)).isEqualTo(lines(0, 5003));
    assertThat(second.mark(id)).contains(new LogMark("at 5000", 3));
    assertThat(second.read(id, 0, 1).missing()).contains("the stream was cut");
    assertThat(second.read(id, 0, 1).complete()).isFalse();
    second.append(id, List.of("after the restart"));
    assertThat(second.read(id, 5003, 10).lines())
        .containsExactly(new LogLine(5003, "after the restart"));
  }

  @Test
  void aTornLastWriteIsCutAndTheWholeLinesBeforeItAreKept() throws IOException {
    FileLogStore first = store(Long.MAX_VALUE);
    first.append(id, lines(0, 100), "at 100");
    Path file = directory.resolve(id.value() + ".log");
    // What a crash in the middle of a write leaves: half a record, no newline.
    Files.write(file, "line 10".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

    FileLogStore second = store(Long.MAX_VALUE);

    assertThat(readAll(second, id)).isEqualTo(lines(0, 100));
    assertThat(second.mark(id)).contains(new LogMark("at 100", 0));
    second.append(id, List.of("line 100"));
    assertThat(readAll(store(Long.MAX_VALUE), id)).isEqualTo(lines(0, 101));
  }

  @Test
  void anEndedLogIsPackedWithGzipAndReadFromAnyLine() throws Exception {
    FileLogStore store = store(Long.MAX_VALUE);
    store.append(id, lines(0, 50_000));
    store.complete(id);
    assertThat(store.read(id, 49_999, 5).lines())
        .containsExactly(new LogLine(49_999, "line 49999"));
    store.awaitPacking();

    Path packed = directory.resolve(id.value() + ".log.gz");
    assertThat(directory.resolve(id.value() + ".log")).doesNotExist();
    assertThat(packed).exists();
    assertThat(Files.size(packed)).isLessThan(50_000L * 10 / 3);
    try (InputStream in = new GZIPInputStream(Files.newInputStream(packed))) {
      // The packed file is the log itself, readable with zcat.
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
          .contains("line 0\nline 1\n")
          .endsWith("line 49999\n\\e\n");
    }
    FileLogStore reopened = store(Long.MAX_VALUE);
    LogPage page = reopened.read(id, 43_210, 3);
    assertThat(page.lines())
        .containsExactly(
            new LogLine(43_210, "line 43210"),
            new LogLine(43_211, "line 43211"),
            new LogLine(43_212, "line 43212"));
    assertThat(page.complete()).isTrue();
    assertThat(readAll(reopened, id)).isEqualTo(lines(0, 50_000));
    assertThat(reopened.tail(id, 2).lines())
        .extracting(LogLine::number)
        .containsExactly(49_998L, 49_999L);
  }

  @Test
  void aLogThatEndedButWasNotPackedIsPackedWhenOpened() throws Exception {
    Path file = directory.resolve(id.value() + ".log");
    Files.writeString(file, "\\f0\nfirst\nsecond\n\\e\n");

    FileLogStore store = store(Long.MAX_VALUE);

    assertThat(store.read(id, 0, 10).lines())
        .extracting(LogLine::text)
        .containsExactly("first", "second");
    assertThat(store.read(id, 0, 10).complete()).isTrue();
    store.awaitPacking();
    assertThat(file).doesNotExist();
    assertThat(directory.resolve(id.value() + ".log.gz")).exists();
  }

  @Test
  void linesWithBackslashesAndNewlinesComeBackAsTheyWere() {
    FileLogStore store = store(Long.MAX_VALUE);
    List<String> odd = List.of("\\e", "\\mnot a mark", "two\nlines", "\\", "", "tab\tcr\r");
    store.append(id, odd, "\\mark\nwith newline");

    FileLogStore reopened = store(Long.MAX_VALUE);
    assertThat(readAll(reopened, id)).isEqualTo(odd);
    assertThat(reopened.mark(id)).contains(new LogMark("\\mark\nwith newline", 0));
    assertThat(reopened.read(id, 0, 1).complete()).isFalse();
  }

  @Test
  void theByteBoundDropsTheOldestLinesAndTheDiskFollows() throws Exception {
    long bound = 256 * 1024;
    FileLogStore store = store(bound);
    for (int n = 0; n < 100; n++) {
      store.append(id, lines(n * 1000, (n + 1) * 1000), "at " + (n + 1) * 1000);
    }

    LogPage page = store.read(id, 0, 1);
    long dropped = page.droppedLines();
    assertThat(dropped).isGreaterThan(0);
    assertThat(page.lines()).containsExactly(new LogLine(dropped, "line " + dropped));
    assertThat(Files.size(directory.resolve(id.value() + ".log"))).isLessThan(2 * bound + 70_000);
    List<String> kept = readAll(store, id);
    assertThat(kept).isEqualTo(lines((int) dropped, 100_000));
    assertThat(String.join("\n", kept).length()).isLessThanOrEqualTo((int) bound);

    FileLogStore reopened = store(bound);
    assertThat(readAll(reopened, id)).isEqualTo(kept);
    assertThat(reopened.mark(id)).contains(new LogMark("at 100000", 0));
    reopened.complete(id);
    reopened.awaitPacking();
    assertThat(readAll(store(bound), id)).isEqualTo(kept);
  }

  @Test
  void readingALineFarInALiveLogReadsOnlyNearIt() throws IOException {
    FileLogStore store = store(Long.MAX_VALUE);
    store.append(id, lines(0, 200_000));
    Path file = directory.resolve(id.value() + ".log");
    // Overwrite the start of the file: a read from the end must not touch it.
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap("XXXXXXXXXXXXXXXXXXXX".getBytes()), 10);
    }

    assertThat(store.read(id, 199_998, 5).lines())
        .extracting(LogLine::text)
        .containsExactly("line 199998", "line 199999");
  }

  @Test
  void deletingRemovesTheFilesOfALiveAndOfAPackedLog() throws Exception {
    InstanceId other = instance(tool("echo", 1), T0.plusSeconds(1)).id();
    FileLogStore store = store(Long.MAX_VALUE);
    store.append(id, lines(0, 10));
    store.append(other, lines(0, 10));
    store.complete(other);
    store.awaitPacking();

    store.delete(id);
    store(Long.MAX_VALUE).delete(other);

    try (var files = Files.list(directory)) {
      assertThat(files).isEmpty();
    }
    assertThat(store(Long.MAX_VALUE).read(other, 0, 10).lines()).isEmpty();
    assertThat(store(Long.MAX_VALUE).read(other, 0, 10).missing()).isEqualTo(Optional.empty());
  }
}
