package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ToolrunClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code toolrun tools rm NAME}: removes a tool and all its versions. */
@Command(
    name = "rm",
    aliases = "remove",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Removes a tool and all its versions, once none of its instances is active; ended"
            + " instances keep their records.")
final class ToolsRemoveCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The tool's name.")
  String name;

  @Override
  public Integer call() {
    client().delete("/v1/tools/" + ToolrunClient.segment(name));
    if (printer().forPeople()) {
      out().println("tool " + name + " removed");
      out().flush();
    }
    return ExitCodes.OK;
  }
}
