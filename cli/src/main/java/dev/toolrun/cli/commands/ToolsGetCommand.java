package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ToolrunClient;
import dev.toolrun.cli.output.ToolViews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code toolrun tools get NAME}: one tool, its latest version or the one asked for. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Shows a tool: its latest version, or --version N (-o yaml is a tool file).")
final class ToolsGetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The tool's name.")
  String name;

  @Option(
      names = "--version",
      paramLabel = "N",
      description = "This version instead of the latest.")
  Integer version;

  @Override
  public Integer call() {
    String path = "/v1/tools/" + ToolrunClient.segment(name);
    if (version != null) {
      path += "/versions/" + version;
    }
    JsonNode tool = client().get(path).body();
    if (printer().forPeople()) {
      ToolViews.details(out(), tool);
    } else {
      printer().document(out(), tool);
    }
    return ExitCodes.OK;
  }
}
