package dev.toolrun.cli.commands;

import dev.toolrun.cli.json.DocumentException;
import dev.toolrun.cli.json.Documents;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tool file: YAML or JSON with the tool's {@code name}, an optional {@code description} and its
 * {@code spec} (the spec of {@code PUT /v1/tools/{name}}). What {@code tools get NAME -o yaml}
 * prints is a tool file too: its {@code version}, {@code mode} and {@code registeredAt} are
 * ignored. Any other key is refused, so that a misspelt one does not vanish. A YAML file may hold
 * several tools, as documents separated by {@code ---}.
 */
record ToolFile(String name, ObjectNode body) {
  private static final Set<String> REGISTERED = Set.of("name", "description", "spec");
  private static final Set<String> IGNORED = Set.of("version", "mode", "registeredAt");

  /** The tools in {@code text}, from {@code source} (named in errors). */
  static List<ToolFile> parse(String text, String source) {
    List<ToolFile> tools = new ArrayList<>();
    List<JsonNode> documents = Documents.parseAll(text, source);
    for (int i = 0; i < documents.size(); i++) {
      String where = documents.size() == 1 ? source : source + " (document " + (i + 1) + ")";
      tools.add(of(documents.get(i), where));
    }
    return tools;
  }

  private static ToolFile of(JsonNode document, String where) {
    if (!document.isObject()) {
      throw new DocumentException(where + " must be a mapping with name, description and spec");
    }
    for (Map.Entry<String, JsonNode> field : document.properties()) {
      if (!REGISTERED.contains(field.getKey()) && !IGNORED.contains(field.getKey())) {
        throw new DocumentException(
            where
                + " has an unknown key '"
                + field.getKey()
                + "' (a tool file has name, description and spec)");
      }
    }
    JsonNode name = document.path("name");
    if (!name.isString() || name.asString().isBlank()) {
      throw new DocumentException(where + " has no name (a string)");
    }
    if (!document.path("spec").isObject()) {
      throw new DocumentException(where + " has no spec (a mapping)");
    }
    ObjectNode body = Documents.JSON.createObjectNode();
    if (document.has("description")) {
      body.set("description", document.get("description"));
    }
    body.set("spec", document.get("spec"));
    return new ToolFile(name.asString(), body);
  }
}
