package dev.toolrun.adapter.k8s.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pool runner's and the delivery's shell, run as they are by the shells of the images toolrun
 * pools (dash, the Python image's {@code sh}, and busybox's), with the pod's paths moved into a
 * temporary directory: the tool runs as the runner's child with the cold run's output and exit
 * code, the delivery says when it woke the runner and then how the tool ended, and a TERM sent to
 * the runner reaches the tool.
 */
class PoolRunnerScriptTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dash", "busybox"})
  void theDeliveryReportsTheToolsExitCodeAndTerminationMessage(String shell) throws Exception {
    Pod pod = new Pod(shell);
    Process runner =
        pod.runner("echo out; echo err >&2; printf '{\"ok\":true}' > \"$RESULT\"; exit 3");
    Process delivery = pod.deliver();

    assertThat(delivery.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(runner.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(runner.exitValue()).isEqualTo(3);
    assertThat(read(runner.getInputStream())).isEqualTo("out\n");
    assertThat(read(runner.getErrorStream())).isEqualTo("err\n");
    assertThat(read(delivery.getInputStream()))
        .isEqualTo(PoolRunner.DELIVERED + "\n" + PoolRunner.ENDED + " 3 11\n" + "{\"ok\":true}");
    assertThat(delivery.exitValue()).isZero();
    // The claim's environment file is gone before the tool runs.
    assertThat(dir.resolve("toolrun/claim/env")).doesNotExist();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dash", "busybox"})
  void aTerminationMessageIsCutToItsLastBytesAsTheKubeletKeepsThem(String shell) throws Exception {
    Pod pod = new Pod(shell);
    Process runner =
        pod.runner(
            "i=0; while [ $i -lt 600 ]; do printf '0123456789' >> \"$RESULT\"; i=$((i+1));"
                + " done; printf end >> \"$RESULT\"");
    Process delivery = pod.deliver();

    assertThat(delivery.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(runner.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    String out = read(delivery.getInputStream());
    String header = PoolRunner.DELIVERED + "\n" + PoolRunner.ENDED + " 0 4096\n";
    assertThat(out).startsWith(header).endsWith("end");
    assertThat(out.length() - header.length()).isEqualTo(JobFactory.RESULT_MAX_BYTES);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dash", "busybox"})
  void aTermSentToTheRunnerEndsTheTool(String shell) throws Exception {
    Pod pod = new Pod(shell);
    // A tool of default disposition: sleep in a loop (a shell waits for its foreground sleep).
    Process runner = pod.runner("echo started; while :; do sleep 0.05; done");
    Process delivery = pod.deliver();
    await().atMost(PATIENCE).until(() -> delivery.getInputStream().available() > 0);

    runner.toHandle().destroy(); // SIGTERM to the runner only

    assertThat(runner.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(runner.exitValue()).isEqualTo(128 + 15);
    assertThat(delivery.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(read(delivery.getInputStream()))
        .isEqualTo(PoolRunner.DELIVERED + "\n" + PoolRunner.ENDED + " 143 0\n");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"dash", "busybox"})
  void withNoDeliveryLeftToReadTheReportTheRunnerStillEnds(String shell) throws Exception {
    Pod pod = new Pod(shell);
    Process runner = pod.runner("echo done");
    await().atMost(PATIENCE).until(() -> Files.exists(dir.resolve("toolrun/claim/go")));
    pod.unpack();
    // The runner is woken as a delivery would, but nobody holds the end FIFO open.
    try (OutputStream go = Files.newOutputStream(dir.resolve("toolrun/claim/go"))) {
      go.write("go\n".getBytes(StandardCharsets.US_ASCII));
    }

    assertThat(runner.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();
    assertThat(runner.exitValue()).isZero();
    assertThat(read(runner.getInputStream())).isEqualTo("done\n");
  }

  /** A pool pod's paths, under the temporary directory. */
  private final class Pod {
    private final List<String> shell;
    private final Path result;

    Pod(String shell) throws IOException {
      this.shell = shell.equals("busybox") ? List.of("busybox", "sh") : List.of("dash");
      Assumptions.assumeTrue(
          new ProcessBuilder("sh", "-c", "command -v " + this.shell.get(0))
                  .start()
                  .onExit()
                  .join()
                  .exitValue()
              == 0,
          shell + " is not installed");
      Files.createDirectories(dir.resolve("toolrun/claim"));
      this.result = dir.resolve("termination-log");
      Files.createFile(result);
    }

    private String moved(String script) {
      return script
          .replace(PoolRunner.ROOT, dir.resolve("toolrun").toString())
          .replace(JobFactory.RESULT_FILE, result.toString());
    }

    Process runner(String tool) throws IOException {
      List<String> command = new ArrayList<>(shell);
      command.addAll(List.of("-c", moved(PoolRunner.runner()), "toolrun-runner"));
      command.addAll(shell);
      command.addAll(List.of("-c", tool));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().put("RESULT", result.toString());
      return builder.start();
    }

    /** The claim's files, unpacked as a delivery would. */
    void unpack() throws IOException {
      Files.write(dir.resolve("toolrun/claim/env"), "export A='b'\n".getBytes());
    }

    Process deliver() throws IOException {
      String[] deliver = PoolRunner.deliver();
      List<String> command = new ArrayList<>(shell);
      command.addAll(List.of("-c", moved(deliver[2]), deliver[3]));
      Process delivery = new ProcessBuilder(command).start();
      byte[] payload =
          TarStream.of(
              Map.of(
                  PoolRunner.ENV_FILE,
                  "export TOOLRUN_INSTANCE_ID='i-1'\n".getBytes(StandardCharsets.UTF_8)),
              0600);
      try (OutputStream in = delivery.getOutputStream()) {
        in.write(PoolRunner.framed(payload));
      }
      return delivery;
    }
  }

  private static String read(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
