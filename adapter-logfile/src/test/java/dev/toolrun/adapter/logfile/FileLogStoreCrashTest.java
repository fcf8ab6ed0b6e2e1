package dev.toolrun.adapter.logfile;

import static dev.toolrun.ports.out.ContractFixtures.T0;
import static dev.toolrun.ports.out.ContractFixtures.instance;
import static dev.toolrun.ports.out.ContractFixtures.tool;
import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.LogMark;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogPage.LogLine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A process that writes a log is killed ({@code kill -9}: no shutdown hook, no close) while it
 * writes; a new store on the same directory serves every line the killed one had accepted, in
 * order, with nothing torn, and the mark says where they end.
 */
class FileLogStoreCrashTest {
  @TempDir Path directory;
  private final InstanceId id = instance(tool("echo", 1), T0).id();

  @Test
  void everyLineAcceptedBeforeAKillIsServedAfterIt() throws Exception {
    Process writer =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                CrashingWriter.class.getName(),
                directory.toString(),
                id.value())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    long accepted = 0;
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while (accepted < 200_000 && (line = out.readLine()) != null) {
        accepted = Long.parseLong(line);
      }
      writer.destroyForcibly();
      assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(accepted).as("lines the writer had accepted").isGreaterThanOrEqualTo(200_000);

    FileLogStore reopened =
        new FileLogStore(
            new FileLogStoreConfig(directory, Long.MAX_VALUE, 8192, Duration.ofSeconds(1)));
    long expected = 0;
    long from = 0;
    LogPage page;
    do {
      page = reopened.read(id, from, 10_000);
      for (LogLine line : page.lines()) {
        assertThat(line).isEqualTo(new LogLine(expected, "line " + expected));
        expected++;
      }
      from = page.nextLine();
    } while (!page.lines().isEmpty());
    assertThat(expected).as("lines served after the kill").isGreaterThanOrEqualTo(accepted);
    LogMark mark = reopened.mark(id).orElseThrow();
    assertThat(Long.parseLong(mark.value().substring("after ".length())) + mark.linesAfter())
        .isEqualTo(expected);
    reopened.append(id, List.of("after the kill"));
    assertThat(reopened.read(id, expected, 1).lines())
        .containsExactly(new LogLine(expected, "after the kill"));
    reopened.close();
  }
}
