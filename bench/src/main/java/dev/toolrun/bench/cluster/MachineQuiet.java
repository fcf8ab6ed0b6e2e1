package dev.toolrun.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * Waiting, between throughput batches, until the machine is idle again. Once a batch's pods are
 * gone from the API the node is still at work: the kubelet removes their sandboxes and the bridge
 * plugin their network namespaces, in a garbage collection that runs once a minute. The batch after
 * pays for it unless it waits; the driver, toolrun and the node share this machine, so its CPU,
 * read from {@code /proc/stat}, tells when that work is done.
 */
final class MachineQuiet {
  private static final Path STAT = Path.of("/proc/stat");
  private static final Duration WINDOW = Duration.ofSeconds(3);

  private MachineQuiet() {}

  /**
   * Waits until the CPUs were idle for at least {@code idle} (0 to 1) of a three-second window, or
   * {@code patience} has passed.
   *
   * @return whether the machine went quiet within {@code patience}
   */
  static boolean await(double idle, Duration patience) {
    long deadline = System.nanoTime() + patience.toNanos();
    long[] before = cpuTimes();
    while (System.nanoTime() < deadline) {
      LockSupport.parkNanos(WINDOW.toNanos());
      long[] after = cpuTimes();
      if (idleShare(before, after) >= idle) {
        return true;
      }
      before = after;
    }
    return false;
  }

  /** The share of CPU time spent idle (or waiting for I/O) between two readings. */
  static double idleShare(long[] before, long[] after) {
    long total = 0;
    for (int i = 0; i < after.length; i++) {
      total += after[i] - before[i];
    }
    long idle = (after[3] - before[3]) + (after[4] - before[4]);
    return total <= 0 ? 1 : (double) idle / total;
  }

  /** The aggregate line of /proc/stat: user, nice, system, idle, iowait, irq, softirq, steal. */
  private static long[] cpuTimes() {
    try {
      String line = Files.readAllLines(STAT).get(0);
      return Arrays.stream(line.trim().split("\\s+"))
          .skip(1)
          .limit(8)
          .mapToLong(Long::parseLong)
          .toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
