package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ApiResponse;
import dev.toolrun.cli.http.ToolrunClient;
import dev.toolrun.cli.json.Documents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/** {@code toolrun tools apply -f FILE}: registers each tool in the files (PUT /v1/tools/NAME). */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Registers the tools in tool files, or a new version of each whose definition changed.",
      "",
      "A tool file is YAML or JSON: name, an optional description, and spec (the spec of"
          + " PUT /v1/tools/{name}). What 'tools get NAME -o yaml' prints is a tool file too (its"
          + " version, mode and registeredAt are ignored). A YAML file may hold several tools"
          + " separated by '---'."
    })
final class ToolsApplyCommand extends ApiCommand {
  @Option(
      names = {"-f", "--file"},
      required = true,
      paramLabel = "FILE",
      description = "A tool file; '-' reads standard input. Repeatable.")
  List<String> files;

  @Override
  public Integer call() {
    List<ToolFile> tools = new ArrayList<>();
    for (String file : files) {
      tools.addAll(
          file.equals("-")
              ? ToolFile.parse(stdin(), "standard input")
              : ToolFile.parse(Documents.read(Path.of(file)), file));
    }
    ArrayNode registered = Documents.JSON.createArrayNode();
    for (ToolFile tool : tools) {
      ApiResponse response =
          client().put("/v1/tools/" + ToolrunClient.segment(tool.name()), tool.body());
      JsonNode answer = response.body();
      registered.add(answer);
      if (printer().forPeople()) {
        out()
            .println(
                response.status() == 201
                    ? "tool "
                        + tool.name()
                        + ": version "
                        + answer.path("version").asString()
                        + " registered"
                    : "tool "
                        + tool.name()
                        + ": unchanged (version "
                        + answer.path("version").asString()
                        + ")");
        out().flush();
      }
    }
    if (!printer().forPeople()) {
      printer().document(out(), registered.size() == 1 ? registered.get(0) : registered);
    }
    return ExitCodes.OK;
  }

  private String stdin() {
    try {
      return new String(root().stdin().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
