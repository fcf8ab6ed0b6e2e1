package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ToolrunClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code toolrun stop ID}: stops a service. */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Stops a service: STOPPING (requests in flight may finish), then STOPPED (a task is"
            + " cancelled instead).")
final class StopCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The instance's id.")
  String id;

  @Override
  public Integer call() {
    JsonNode instance =
        client().post("/v1/instances/" + ToolrunClient.segment(id) + "/stop").body();
    if (printer().forPeople()) {
      out().println(id + " " + instance.path("state").asString());
      out().flush();
    } else {
      printer().document(out(), instance);
    }
    return ExitCodes.OK;
  }
}
