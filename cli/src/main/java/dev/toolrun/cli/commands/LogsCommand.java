package dev.toolrun.cli.commands;

import dev.toolrun.cli.output.OutputFormat;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code toolrun logs ID}: an instance's log, and with -f the lines still to come. */
@Command(
    name = "logs",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Prints an instance's log, also after its workload is gone (-o json: one JSON object per"
          + " line, {\"n\": …, \"text\": …}).",
      "",
      "With -f it keeps printing lines as they come until the log is complete (the run ended),"
          + " over the server's event stream; a dropped connection is resumed after the last line"
          + " printed (Last-Event-ID), so no line is lost or printed twice."
    })
final class LogsCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The instance's id.")
  String id;

  @Option(
      names = {"-f", "--follow"},
      description = "Keep printing new lines until the run ends.")
  boolean follow;

  @Option(names = "--from", paramLabel = "N", description = "Start at line N (from 0).")
  long from;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      description =
          "With -f, how long to wait before reconnecting a dropped stream (default: 500ms).",
      converter = DurationConverter.class)
  Duration interval = ToolrunCommand.DEFAULT_POLL_INTERVAL;

  @Override
  public Integer call() {
    OutputFormat format = root().outputFormat();
    if (format == OutputFormat.YAML) {
      throw new UsageException("logs prints text, or JSON lines with -o json; not yaml");
    }
    if (from < 0) {
      throw new UsageException("--from must be 0 or more");
    }
    if (follow) {
      new LogStream(client(), interval).follow(id, from, format == OutputFormat.JSON, out(), err());
    } else {
      new Polling(client(), interval).log(id, from, format == OutputFormat.JSON, out(), err());
    }
    return ExitCodes.OK;
  }
}
