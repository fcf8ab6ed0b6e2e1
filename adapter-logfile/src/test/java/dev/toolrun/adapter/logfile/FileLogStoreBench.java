package dev.toolrun.adapter.logfile;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.LogPage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The file store's write throughput against writing the same lines to a plain file, in the same run
 * (docs/benchmarks.md has the command and the figures). Not a test: a main, so that no timing is
 * ever asserted. Arguments: lines (default 1,000,000), lines per append (64), rounds (3).
 */
public final class FileLogStoreBench {
  private FileLogStoreBench() {}

  public static void main(String[] args) throws Exception {
    int lines = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    List<List<String>> batches = new ArrayList<>();
    for (int n = 0; n < lines; n += batch) {
      List<String> chunk = new ArrayList<>(batch);
      for (int i = n; i < Math.min(lines, n + batch); i++) {
        // 100 characters, like the tool of issue #15: a number and some text.
        chunk.add(String.format("%08d ", i) + "x".repeat(91));
      }
      batches.add(chunk);
    }
    Path root = Files.createTempDirectory("toolrun-bench-logs");
    String[] names = {
      "plain-file-write-per-append", "plain-file-buffered", "store-fsync-1s", "store-fsync-always"
    };
    double[][] seconds = new double[names.length][rounds];
    double[] pack = new double[rounds];
    double[] readBack = new double[rounds];
    long packedBytes = 0;
    for (int round = 0; round < rounds; round++) {
      Path dir = Files.createDirectories(root.resolve("r" + round));
      seconds[0][round] = time(() -> plainPerAppend(dir.resolve("plain.log"), batches));
      seconds[1][round] = time(() -> plainBuffered(dir.resolve("buffered.log"), batches));
      InstanceId id = InstanceId.generate(Instant.now(), new Random(round));
      FileLogStore store =
          new FileLogStore(
              new FileLogStoreConfig(
                  dir.resolve("store"), Long.MAX_VALUE, 8192, Duration.ofSeconds(1)));
      seconds[2][round] =
          time(
              () -> {
                for (int b = 0; b < batches.size(); b++) {
                  store.append(id, batches.get(b), "pod 2026-01-01T00:00:00Z " + b);
                }
              });
      pack[round] =
          time(
              () -> {
                store.complete(id);
                try {
                  store.awaitPacking();
                } catch (Exception e) {
                  throw new IOException(e);
                }
              });
      packedBytes = Files.size(dir.resolve("store").resolve(id.value() + ".log.gz"));
      readBack[round] =
          time(
              () -> {
                long from = 0;
                LogPage page;
                do {
                  page = store.read(id, from, 10_000);
                  from = page.nextLine();
                } while (!page.lines().isEmpty());
              });
      store.close();
      int always = Math.min(batches.size(), 2_000);
      InstanceId other = InstanceId.generate(Instant.now(), new Random(100 + round));
      FileLogStore syncing =
          new FileLogStore(
              new FileLogStoreConfig(dir.resolve("syncing"), Long.MAX_VALUE, 8192, Duration.ZERO));
      // fsync at every append is slow: timed over fewer appends and scaled to the same lines.
      seconds[3][round] =
          time(
                  () -> {
                    for (int b = 0; b < always; b++) {
                      syncing.append(other, batches.get(b), "m" + b);
                    }
                  })
              * batches.size()
              / always;
      syncing.close();
    }
    long bytes = batches.stream().flatMap(List::stream).mapToLong(l -> l.length() + 1).sum();
    for (int i = 0; i < names.length; i++) {
      double median = median(seconds[i]);
      System.out.printf(
          "RESULT logstore-write variant=%s lines=%d batch=%d rounds=%d median_s=%.3f"
              + " lines_per_s=%.0f mb_per_s=%.1f min_s=%.3f max_s=%.3f%n",
          names[i],
          lines,
          batch,
          rounds,
          median,
          lines / median,
          bytes / median / 1e6,
          Arrays.stream(seconds[i]).min().orElseThrow(),
          Arrays.stream(seconds[i]).max().orElseThrow());
    }
    System.out.printf(
        "RESULT logstore-end pack_median_s=%.3f packed_bytes=%d raw_bytes=%d"
            + " read_all_median_s=%.3f%n",
        median(pack), packedBytes, bytes, median(readBack));
    try (Stream<Path> files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private interface Work {
    void run() throws IOException;
  }

  private static double time(Work work) throws IOException {
    long start = System.nanoTime();
    work.run();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static void plainPerAppend(Path file, List<List<String>> batches) throws IOException {
    try (FileChannel out =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (List<String> chunk : batches) {
        StringBuilder text = new StringBuilder(chunk.size() * 101);
        chunk.forEach(line -> text.append(line).append('\n'));
        out.write(ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8)));
      }
      out.force(false);
    }
  }

  private static void plainBuffered(Path file, List<List<String>> batches) throws IOException {
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (List<String> chunk : batches) {
        for (String line : chunk) {
          out.write(line);
          out.write('\n');
        }
      }
    }
  }
}
