package dev.toolrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.k8s.LocalCluster;
import dev.toolrun.cli.commands.ExitCodes;
import dev.toolrun.cli.json.Documents;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI against toolrun on the local cluster (mvn verify -Pcluster), where scripts really run:
 * the README's greeter prints and returns its greeting, a script's own exit code becomes the CLI's,
 * a run past its timeout exits 124, and logs -f follows a run to its last line. toolrun acts as the
 * runner user with only the Role of deploy/rbac.yaml, in a namespace of its own.
 */
class CliClusterIT {
  private static LocalCluster cluster;
  private static RunningServer server;

  @TempDir Path files;

  @BeforeAll
  static void start() {
    cluster = LocalCluster.start();
    server =
        RunningServer.start(
            Map.of(
                "TOOLRUN_RUNTIME",
                "kubernetes",
                "TOOLRUN_KUBERNETES_PROFILE",
                "local-cluster",
                "TOOLRUN_KUBERNETES_NAMESPACE",
                cluster.namespace(),
                "TOOLRUN_KUBERNETES_CONTEXT",
                LocalCluster.RUNNER_CONTEXT));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theReadmeGreeterRunsAndFollowsToItsResult() throws Exception {
    Cli cli = Cli.of(server, files);
    Path greeter = Files.writeString(files.resolve("greeter.yaml"), CliJarIT.readmeGreeter());

    Cli.Result applied = cli.run("tools", "apply", "-f", greeter.toString());
    Cli.Result run =
        cli.run("run", "greeter", "-p", "name=Ada", "--wait", "--follow", "-o", "json");

    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("hello Ada\n");
    assertThat(Documents.JSON.readTree(run.err()).path("result").path("greeting").asString())
        .isEqualTo("hello Ada");
  }

  @Test
  void aScriptsExitCodeATimeoutAndLogsFollow() throws Exception {
    Cli cli = Cli.of(server, files);
    cli.runWithInput(
        """
        name: exits-three
        spec:
          mode: TASK
          script: {language: shell, source: "echo about to fail; exit 3"}
        ---
        name: too-slow
        spec:
          mode: TASK
          timeoutSeconds: 3
          script: {language: shell, source: "echo slow; sleep 60"}
        ---
        name: counter
        spec:
          mode: TASK
          script: {language: shell, source: "for i in 1 2 3 4 5; do echo line $i; sleep 1; done"}
        """,
        "tools",
        "apply",
        "-f",
        "-");

    Cli.Result failed = cli.run("run", "exits-three", "--wait");
    Cli.Result slow = cli.run("run", "too-slow", "--wait");
    String id = cli.run("run", "counter").out().strip();
    Cli.Result followed = cli.run("logs", "-f", id, "--interval", "200ms");

    assertThat(failed.exitCode()).as(failed.toString()).isEqualTo(3);
    assertThat(failed.out()).contains("EXITED_NON_ZERO");
    assertThat(slow.exitCode()).as(slow.toString()).isEqualTo(ExitCodes.TIMED_OUT);
    assertThat(followed.exitCode()).as(followed.toString()).isZero();
    assertThat(followed.out()).isEqualTo("line 1\nline 2\nline 3\nline 4\nline 5\n");
  }
}
