package dev.toolrun.bench.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads another JVM's live heap: a full collection with {@code jcmd <pid> GC.run}, then the used
 * heap from {@code jstat -gc <pid>}. jstat reports every collector's spaces in the same columns, so
 * this works whichever collector the JVM picked for the machine.
 */
final class HeapGauge {
  /** The columns of {@code jstat -gc} that together are the used heap, in KiB. */
  private static final List<String> USED_COLUMNS = List.of("S0U", "S1U", "EU", "OU");

  private final Path jdkBin = Path.of(System.getProperty("java.home"), "bin");

  /** The heap {@code pid} uses once a full collection has freed all it can, in bytes. */
  long usedAfterFullGc(long pid) throws IOException, InterruptedException {
    run("jcmd", Long.toString(pid), "GC.run");
    return usedBytes(run("jstat", "-gc", Long.toString(pid)));
  }

  private static long usedBytes(String jstatOutput) {
    String[] lines = jstatOutput.strip().split("\\R");
    if (lines.length != 2) {
      throw new IllegalStateException("unexpected jstat -gc output:\n" + jstatOutput);
    }
    List<String> header = Arrays.asList(lines[0].strip().split("\\s+"));
    String[] values = lines[1].strip().split("\\s+");
    double kib = 0;
    for (String column : USED_COLUMNS) {
      int index = header.indexOf(column);
      if (index < 0 || index >= values.length) {
        throw new IllegalStateException("jstat -gc has no column " + column + ":\n" + jstatOutput);
      }
      kib += Double.parseDouble(values[index]);
    }
    return Math.round(kib * 1024);
  }

  private String run(String tool, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(jdkBin.resolve(tool).toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
    return output;
  }
}
