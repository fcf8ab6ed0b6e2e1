package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ToolrunClient;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * A command that posts one action to an instance ({@code POST /v1/instances/{id}/ACTION}) and
 * prints the state it answers with: what {@code cancel} and {@code stop} share.
 */
abstract class InstanceActionCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "ID", description = "The instance's id.")
  String id;

  /** The last segment of the action's path, e.g. {@code cancel}. */
  abstract String action();

  @Override
  public Integer call() {
    JsonNode instance =
        client().post("/v1/instances/" + ToolrunClient.segment(id) + "/" + action()).body();
    if (printer().forPeople()) {
      out().println(id + " " + instance.path("state").asString());
      out().flush();
    } else {
      printer().document(out(), instance);
    }
    return ExitCodes.OK;
  }
}
