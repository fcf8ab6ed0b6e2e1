package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ToolrunClient;
import dev.toolrun.cli.output.InstanceViews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code toolrun get ID}: one instance. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Shows an instance: state, history, failure, exit code, result, queue position, health.")
final class GetCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The instance's id.")
  String id;

  @Override
  public Integer call() {
    JsonNode instance = client().get("/v1/instances/" + ToolrunClient.segment(id)).body();
    if (printer().forPeople()) {
      InstanceViews.details(out(), instance);
    } else {
      printer().document(out(), instance);
    }
    return ExitCodes.OK;
  }
}
