package dev.toolrun.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as its users run it: the launcher script {@code cli/src/main/sh/toolrun}, which finds the
 * packaged {@code cli/target/toolrun-cli.jar}, against the real server; with the README's greeter
 * tool file, taken from the README itself so that the two cannot drift apart.
 */
@ExtendWith(ServerExtension.class)
class CliJarIT {
  private static final Path LAUNCHER =
      Path.of(System.getProperty("toolrun.cli.launcher", "src/main/sh/toolrun"));
  private static final Path README = Path.of("../README.md");

  @TempDir Path work;

  @Test
  void theReadmeSessionWorksThroughTheLauncher(RunningServer server) throws Exception {
    Path greeter = Files.writeString(work.resolve("greeter.yaml"), readmeGreeter());

    Run applied = toolrun(server, "tools", "apply", "-f", greeter.toString());
    Run run = toolrun(server, "run", "greeter", "-p", "name=Ada", "--wait", "--follow");
    Run failing = toolrun(server, "get", "01234567-89ab-cdef-0123-456789abcdef");
    Run version = toolrun(server, "--version");

    assertThat(applied.exitCode()).as(applied.toString()).isZero();
    assertThat(applied.out()).isEqualTo("tool greeter: version 1 registered\n");
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .contains("[in-memory runtime] parameters: name", "[in-memory runtime] done");
    assertThat(run.err()).contains(" SUCCEEDED; result: ", "\"name\":\"Ada\"");
    assertThat(failing.exitCode()).isEqualTo(65);
    assertThat(failing.err())
        .startsWith("toolrun: INSTANCE_NOT_FOUND: ")
        .doesNotContain("Exception");
    assertThat(version.out()).startsWith("toolrun CLI ");
  }

  /** The greeter tool file of the README's "Command line" section. */
  static String readmeGreeter() throws IOException {
    String readme = Files.readString(README);
    int begin = readme.indexOf("<!-- cli-greeter:begin -->");
    int end = readme.indexOf("<!-- cli-greeter:end -->");
    assertThat(begin).as("the README marks its greeter tool file").isPositive();
    String block = readme.substring(begin, end);
    int heredoc = block.indexOf("<<'EOF'\n") + "<<'EOF'\n".length();
    return block.substring(heredoc, block.indexOf("\nEOF\n", heredoc) + 1);
  }

  private Run toolrun(RunningServer server, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("TOOLRUN_"));
    builder.environment().put("TOOLRUN_URL", server.url());
    builder.environment().put("TOOLRUN_TOKEN", RunningServer.TOKEN);
    builder.environment().put("HOME", work.toString());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Path out = work.resolve("out");
    Path err = work.resolve("err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertThat(process.waitFor(60, TimeUnit.SECONDS))
        .as("toolrun " + String.join(" ", args) + " ended")
        .isTrue();
    return new Run(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  private record Run(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }
}
