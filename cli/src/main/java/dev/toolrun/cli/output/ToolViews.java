package dev.toolrun.cli.output;

import static dev.toolrun.cli.output.InstanceViews.text;

import dev.toolrun.cli.json.Documents;
import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/** Tools (the API's {@code Tool}) for people: a table of many, the details of one. */
public final class ToolViews {
  private static final int DESCRIPTION_WIDTH = 60;

  private ToolViews() {}

  public static Table table() {
    return new Table("NAME", "VERSION", "MODE", "REGISTERED", "DESCRIPTION");
  }

  public static void addRow(Table table, JsonNode tool) {
    String description = text(tool, "description").lines().findFirst().orElse("");
    if (description.length() > DESCRIPTION_WIDTH) {
      description = description.substring(0, DESCRIPTION_WIDTH - 1) + "…";
    }
    table.row(
        text(tool, "name"),
        text(tool, "version"),
        text(tool, "mode"),
        text(tool, "registeredAt"),
        description);
  }

  public static void details(PrintWriter out, JsonNode tool) {
    new Details()
        .field("Name", text(tool, "name"))
        .field("Version", text(tool, "version"))
        .field("Mode", text(tool, "mode"))
        .field("Registered", text(tool, "registeredAt"))
        .field("Description", text(tool, "description"))
        .block("Spec", Documents.YAML.writeValueAsString(tool.path("spec")))
        .print(out);
  }
}
