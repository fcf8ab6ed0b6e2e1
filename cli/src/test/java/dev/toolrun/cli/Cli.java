package dev.toolrun.cli;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/**
 * The CLI called in-process, as {@code toolrun ARGS} would be, with its output captured: a fresh
 * command line per call, an environment of its own (no TOOLRUN_* of the machine running the tests)
 * and a home directory without a config file unless a test writes one.
 */
public final class Cli {
  private final Map<String, String> environment;
  private final Path home;

  private Cli(Map<String, String> environment, Path home) {
    this.environment = Map.copyOf(environment);
    this.home = home;
  }

  /** A CLI that reaches {@code server} through TOOLRUN_URL and TOOLRUN_TOKEN. */
  public static Cli of(RunningServer server, Path home) {
    return new Cli(Map.of("TOOLRUN_URL", server.url(), "TOOLRUN_TOKEN", RunningServer.TOKEN), home);
  }

  /** A CLI with exactly {@code environment}. */
  public static Cli withEnvironment(Map<String, String> environment, Path home) {
    return new Cli(environment, home);
  }

  /** This CLI with {@code name} set to {@code value} in its environment. */
  public Cli with(String name, String value) {
    Map<String, String> changed = new HashMap<>(environment);
    changed.put(name, value);
    return new Cli(changed, home);
  }

  public Result run(String... args) {
    return runWithInput("", args);
  }

  public Result runWithInput(String stdin, String... args) {
    InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    CommandLine commandLine = ToolrunCli.commandLine(environment, home, in);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    int exitCode = commandLine.execute(args);
    return new Result(exitCode, out.toString(), err.toString());
  }

  /** What one call printed, and how it exited. */
  public record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }
}
