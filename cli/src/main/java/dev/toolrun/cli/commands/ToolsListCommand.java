package dev.toolrun.cli.commands;

import dev.toolrun.cli.json.Documents;
import dev.toolrun.cli.output.Table;
import dev.toolrun.cli.output.ToolViews;
import java.util.Map;
import picocli.CommandLine.Command;
import tools.jackson.databind.node.ArrayNode;

/** {@code toolrun tools ls}: the latest version of every tool. */
@Command(
    name = "ls",
    aliases = "list",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Lists the latest version of every tool, by name (-o json: a JSON array).")
final class ToolsListCommand extends ApiCommand {
  @Override
  public Integer call() {
    ArrayNode tools = Documents.JSON.createArrayNode();
    Pages.each(client(), "/v1/tools", Map.of(), 0, tools::add);
    if (printer().forPeople()) {
      Table table = ToolViews.table();
      tools.forEach(tool -> ToolViews.addRow(table, tool));
      table.print(out());
    } else {
      printer().document(out(), tools);
    }
    return ExitCodes.OK;
  }
}
