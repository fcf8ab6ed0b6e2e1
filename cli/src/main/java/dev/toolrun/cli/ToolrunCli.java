package dev.toolrun.cli;

import dev.toolrun.cli.commands.ExitCodes;
import dev.toolrun.cli.commands.ToolrunCommand;
import dev.toolrun.cli.commands.UsageException;
import dev.toolrun.cli.config.ClientSettings;
import dev.toolrun.cli.config.ConfigException;
import dev.toolrun.cli.http.ApiException;
import dev.toolrun.cli.http.ServerUnreachableException;
import dev.toolrun.cli.json.DocumentException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The {@code toolrun} command line. Every failure ends in one message on standard error and an exit
 * code of {@link ExitCodes}, never a stack trace: an error answer prints the server's {@code code}
 * and {@code message}, an unreachable server the URL that could not be reached.
 */
public final class ToolrunCli {
  private ToolrunCli() {}

  public static void main(String[] args) {
    CommandLine commandLine =
        commandLine(System.getenv(), Path.of(System.getProperty("user.home")), System.in);
    System.exit(commandLine.execute(args));
  }

  /**
   * The command line for a process with {@code environment}, home directory {@code home} and
   * standard input {@code stdin}; its out and err may be replaced before {@code execute}.
   */
  public static CommandLine commandLine(
      Map<String, String> environment, Path home, InputStream stdin) {
    ToolrunCommand root = new ToolrunCommand(environment, home, stdin);
    CommandLine commandLine = new CommandLine(root);
    commandLine.setParameterExceptionHandler(ToolrunCli::reportUsage);
    commandLine.setExecutionExceptionHandler(
        (exception, failed, parseResult) -> report(exception, failed, root));
    return commandLine;
  }

  /** A command line picocli cannot parse: what is wrong, and where the help is. */
  private static int reportUsage(ParameterException exception, String[] args) {
    CommandLine failed = exception.getCommandLine();
    PrintWriter err = failed.getErr();
    err.println("toolrun: " + exception.getMessage());
    err.println("  see '" + failed.getCommandSpec().qualifiedName() + " --help'");
    err.flush();
    return ExitCodes.USAGE;
  }

  private static int report(Exception exception, CommandLine failed, ToolrunCommand root) {
    PrintWriter err = failed.getErr();
    int exitCode;
    if (exception instanceof ApiException api) {
      err.println(
          "toolrun: " + api.code() + ": " + api.getMessage() + " (HTTP " + api.status() + ")");
      api.details().forEach(d -> err.println("  " + d.field() + ": " + d.message()));
      if (api.status() == 401) {
        root.resolvedSettings()
            .map(ClientSettings::tokenSource)
            .ifPresent(source -> err.println("  the token came from " + source));
      }
      exitCode = ExitCodes.API_ERROR;
    } else if (exception instanceof ServerUnreachableException unreachable) {
      err.println("toolrun: " + unreachable.getMessage());
      root.resolvedSettings()
          .ifPresent(
              s ->
                  err.println(
                      "  the URL came from "
                          + s.urlSource()
                          + "; set it with --url or TOOLRUN_URL"));
      exitCode = ExitCodes.UNREACHABLE;
    } else if (exception instanceof UsageException
        || exception instanceof ConfigException
        || exception instanceof DocumentException) {
      err.println("toolrun: " + exception.getMessage());
      exitCode = ExitCodes.USAGE;
    } else {
      err.println(
          "toolrun: internal error: "
              + exception.getClass().getSimpleName()
              + (exception.getMessage() == null ? "" : ": " + exception.getMessage()));
      exitCode = ExitCodes.INTERNAL;
    }
    err.flush();
    return exitCode;
  }
}
