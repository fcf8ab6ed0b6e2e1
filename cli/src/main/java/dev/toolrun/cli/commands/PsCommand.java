package dev.toolrun.cli.commands;

import dev.toolrun.cli.json.Documents;
import dev.toolrun.cli.output.InstanceViews;
import dev.toolrun.cli.output.Table;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ArrayNode;

/** {@code toolrun ps}: instances, newest first. */
@Command(
    name = "ps",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Lists instances, newest first (-o json: a JSON array).")
final class PsCommand extends ApiCommand {
  @Option(names = "--tool", paramLabel = "TOOL", description = "Only instances of this tool.")
  String tool;

  @Option(
      names = "--state",
      paramLabel = "STATE",
      split = ",",
      description =
          "Only instances in these states (repeatable, or comma-separated), e.g. RUNNING,PENDING.")
  List<String> states = new ArrayList<>();

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "At most this many (default: 50; 0 lists them all).")
  int limit = 50;

  @Override
  public Integer call() {
    if (limit < 0) {
      throw new UsageException("--limit must be 0 (all) or more");
    }
    Map<String, String> query = new LinkedHashMap<>();
    query.put("tool", tool);
    query.put(
        "state", String.join(",", states.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList()));
    ArrayNode instances = Documents.JSON.createArrayNode();
    Pages.each(client(), "/v1/instances", query, limit, instances::add);
    if (printer().forPeople()) {
      Table table = InstanceViews.table();
      instances.forEach(instance -> InstanceViews.addRow(table, instance));
      table.print(out());
    } else {
      printer().document(out(), instances);
    }
    return ExitCodes.OK;
  }
}
