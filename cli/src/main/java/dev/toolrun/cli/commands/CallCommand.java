package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ToolrunClient;
import dev.toolrun.cli.json.DocumentException;
import dev.toolrun.cli.json.Documents;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code toolrun call ID METHOD PATH}: one HTTP request to a serving service, through toolrun. */
@Command(
    name = "call",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Sends one HTTP request to a serving service and prints the answer's body.",
      "",
      "The request goes through toolrun (POST /v1/instances/{id}/requests) in its envelope."
          + " The service's own status is not toolrun's: a status of 400"
          + " or more is said on standard error, and the exit code stays 0. -o json|yaml prints the"
          + " whole answer envelope (status, headers, body, durationMs)."
    })
final class CallCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "SERVICE_ID", description = "The service instance's id.")
  String id;

  @Parameters(
      index = "1",
      paramLabel = "METHOD",
      description = "GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS.")
  String method;

  @Parameters(
      index = "2",
      paramLabel = "PATH",
      description = "The path and query the service sees, e.g. /greet?name=Ada.")
  String path;

  @Option(
      names = {"-d", "--data"},
      paramLabel = "BODY",
      description = "The request's body, as text; @file sends the file's text.")
  String data;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "'NAME: VALUE'",
      description = "A request header; repeatable.")
  List<String> headers = new ArrayList<>();

  @Override
  public Integer call() {
    ObjectNode envelope = Documents.JSON.createObjectNode();
    envelope.put("method", method.toUpperCase(Locale.ROOT));
    envelope.put("path", path);
    if (!headers.isEmpty()) {
      ObjectNode headerValues = envelope.putObject("headers");
      for (String header : headers) {
        Map.Entry<String, String> entry = LaunchArguments.header(header);
        headerValues.put(entry.getKey(), entry.getValue());
      }
    }
    if (data != null) {
      envelope.put("body", body());
    }
    JsonNode answer =
        client().post("/v1/instances/" + ToolrunClient.segment(id) + "/requests", envelope).body();
    if (!printer().forPeople()) {
      printer().document(out(), answer);
      return ExitCodes.OK;
    }
    int status = answer.path("status").asInt();
    if (status >= 400) {
      err().println("the service answered HTTP " + status);
      err().flush();
    }
    if (answer.has("bodyBase64")) {
      // Not text: printed as the server sent it, base64, rather than as mangled characters.
      err().println("the answer's body is not UTF-8 text; here it is as base64");
      err().flush();
      out().println(answer.get("bodyBase64").asString());
    } else {
      String body = answer.path("body").asString("");
      out().print(body);
      if (!body.isEmpty() && !body.endsWith("\n")) {
        out().println();
      }
    }
    out().flush();
    return ExitCodes.OK;
  }

  private String body() {
    if (!data.startsWith("@")) {
      return data;
    }
    try {
      return Documents.read(Path.of(data.substring(1)));
    } catch (DocumentException e) {
      throw new UsageException("-d " + data + ": " + e.getMessage());
    }
  }
}
