package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ToolrunClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code toolrun cancel ID}: cancels a task. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Cancels a task: it ends CANCELLED and its workload is removed (a service is stopped"
            + " instead).")
final class CancelCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The instance's id.")
  String id;

  @Override
  public Integer call() {
    JsonNode instance =
        client().post("/v1/instances/" + ToolrunClient.segment(id) + "/cancel").body();
    if (printer().forPeople()) {
      out().println(id + " " + instance.path("state").asString());
      out().flush();
    } else {
      printer().document(out(), instance);
    }
    return ExitCodes.OK;
  }
}
