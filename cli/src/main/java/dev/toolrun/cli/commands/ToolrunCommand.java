package dev.toolrun.cli.commands;

import static java.util.Objects.requireNonNull;

import dev.toolrun.cli.config.ClientSettings;
import dev.toolrun.cli.config.SettingsResolver;
import dev.toolrun.cli.http.ToolrunClient;
import dev.toolrun.cli.output.OutputFormat;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code toolrun}: the top command, which holds the options every command takes (the server, the
 * token, the output format) and what the process was given (environment, home, standard input).
 */
@Command(
    name = "toolrun",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Runs tools on a toolrun server and watches their runs, through its REST API.",
      "",
      "The server and token come from --url and --token, else TOOLRUN_URL and TOOLRUN_TOKEN, else"
          + " the config file (--config, TOOLRUN_CONFIG, or ~/.config/toolrun/config.yaml with the"
          + " keys url and token), else http://localhost:8080 and no token."
    },
    subcommands = {
      ToolsCommand.class,
      RunCommand.class,
      PsCommand.class,
      GetCommand.class,
      LogsCommand.class,
      CancelCommand.class,
      StopCommand.class,
      CallCommand.class,
      CompletionCommand.class
    },
    footerHeading = "%nExit codes:%n",
    footer = {
      "  0    done; for run --wait/--follow: SUCCEEDED (a service: SERVING or STOPPED)",
      "  N    run --wait/--follow: the tool exited with code N (1-255)",
      "  64   usage error (options, -p syntax, files, URL, config file)",
      "  65   the server answered with an error (its code and message are printed)",
      "  69   the server could not be reached",
      "  70   internal error of the CLI",
      "  124  the run TIMED_OUT",
      "  125  the run FAILED for another reason than its exit code",
      "  130  the run was CANCELLED"
    })
public final class ToolrunCommand implements Runnable {
  static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description = "The server, e.g. http://localhost:8080 (else TOOLRUN_URL, the config file).")
  String url;

  @Option(
      names = "--token",
      scope = ScopeType.INHERIT,
      paramLabel = "TOKEN",
      description = "The API's bearer token (else TOOLRUN_TOKEN, the config file).")
  String token;

  @Option(
      names = "--config",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description = "The config file (else TOOLRUN_CONFIG, ~/.config/toolrun/config.yaml).")
  Path config;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "table (the default, for people), json or yaml (the API's JSON, for scripts).")
  String output;

  private final Map<String, String> environment;
  private final Path home;
  private final InputStream stdin;
  private ClientSettings settings;
  private ToolrunClient client;

  public ToolrunCommand(Map<String, String> environment, Path home, InputStream stdin) {
    this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
    this.home = requireNonNull(home, "home is null");
    this.stdin = requireNonNull(stdin, "stdin is null");
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The settings the flags, the environment and the config file make; resolved once. */
  public ClientSettings settings() {
    if (settings == null) {
      settings =
          new SettingsResolver(environment, home)
              .resolve(
                  Optional.ofNullable(url),
                  Optional.ofNullable(token),
                  Optional.ofNullable(config));
    }
    return settings;
  }

  /** The settings if a command resolved them already, so that an error can say where from. */
  public Optional<ClientSettings> resolvedSettings() {
    return Optional.ofNullable(settings);
  }

  /** The client of the server the settings name; made once. */
  ToolrunClient client() {
    if (client == null) {
      client = new ToolrunClient(settings().url(), settings().token());
    }
    return client;
  }

  OutputFormat outputFormat() {
    if (output == null) {
      return OutputFormat.TABLE;
    }
    return switch (output.toLowerCase(Locale.ROOT)) {
      case "table" -> OutputFormat.TABLE;
      case "json" -> OutputFormat.JSON;
      case "yaml", "yml" -> OutputFormat.YAML;
      default -> throw new UsageException("-o must be table, json or yaml, not '" + output + "'");
    };
  }

  InputStream stdin() {
    return stdin;
  }
}
