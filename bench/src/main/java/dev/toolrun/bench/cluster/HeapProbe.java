package dev.toolrun.bench.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The live heap of a JVM on this machine: a full collection ({@code jcmd <pid> GC.run}), then the
 * used space of every heap generation ({@code jstat -gc}), which works for any generational
 * collector the JVM picked.
 */
final class HeapProbe {
  private static final List<String> USED_COLUMNS = List.of("S0U", "S1U", "EU", "OU");
  private static final Path JDK_BIN = Path.of(System.getProperty("java.home"), "bin");

  private HeapProbe() {}

  /**
   * The smallest of {@code readings} readings, each right after a full collection: the process is
   * at rest but not frozen, and the smallest reading holds the least garbage made in between.
   */
  static long usedBytesAfterFullGc(long pid, int readings) {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < readings; i++) {
      run("jcmd", Long.toString(pid), "GC.run");
      least = Math.min(least, used(run("jstat", "-gc", Long.toString(pid))));
    }
    return least;
  }

  /**
   * Writes the live objects of the JVM by class, largest first, to {@code file}: where the bytes
   * went.
   */
  static void writeHistogram(long pid, Path file) {
    try {
      Files.writeString(file, run("jcmd", Long.toString(pid), "GC.class_histogram"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sums the used columns of {@code jstat -gc}'s output: a header line, a line of kilobytes. */
  static long used(String jstatOutput) {
    String[] lines = jstatOutput.strip().split("\n");
    List<String> header = List.of(lines[0].trim().split("\\s+"));
    String[] values = lines[lines.length - 1].trim().split("\\s+");
    double kilobytes = 0;
    for (String column : USED_COLUMNS) {
      int at = header.indexOf(column);
      if (at < 0) {
        throw new IllegalStateException(
            "jstat -gc printed no " + column + " column: " + jstatOutput);
      }
      kilobytes += Double.parseDouble(values[at]);
    }
    return Math.round(kilobytes * 1024);
  }

  private static String run(String tool, String... arguments) {
    List<String> command = new ArrayList<>(List.of(JDK_BIN.resolve(tool).toString()));
    command.addAll(List.of(arguments));
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + tool, e);
    }
  }
}
