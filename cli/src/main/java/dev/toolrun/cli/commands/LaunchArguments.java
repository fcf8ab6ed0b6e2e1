package dev.toolrun.cli.commands;

import dev.toolrun.cli.json.DocumentException;
import dev.toolrun.cli.json.Documents;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The launch's {@code -p} and {@code --secret} arguments:
 *
 * <ul>
 *   <li>{@code -p key=value}: the string {@code value};
 *   <li>{@code -p key:=json}: the JSON value {@code json} ({@code n:=3}, {@code on:=true}, {@code
 *       tags:='["a","b"]'});
 *   <li>{@code -p key=@file.json}: the JSON value in the file;
 *   <li>{@code --secret NAME=@file}: the file's content, less one trailing newline;
 *   <li>{@code --secret NAME=value}: {@code value} (visible to other users in the process list:
 *       prefer a file).
 * </ul>
 */
final class LaunchArguments {
  private LaunchArguments() {}

  static ObjectNode parameters(List<String> arguments) {
    ObjectNode parameters = Documents.JSON.createObjectNode();
    for (String argument : arguments) {
      int equals = argument.indexOf('=');
      if (equals <= 0 || (equals == 1 && argument.charAt(0) == ':')) {
        throw new UsageException(
            "-p '" + argument + "' is not key=value, key:=json or key=@file.json");
      }
      boolean json = argument.charAt(equals - 1) == ':';
      String key = argument.substring(0, json ? equals - 1 : equals);
      String value = argument.substring(equals + 1);
      if (parameters.has(key)) {
        throw new UsageException("-p gives the parameter '" + key + "' twice");
      }
      parameters.set(key, value(key, value, json));
    }
    return parameters;
  }

  private static JsonNode value(String key, String value, boolean json) {
    try {
      if (json) {
        return Documents.parseJson(value, "-p " + key + ":=");
      }
      if (value.startsWith("@")) {
        String file = value.substring(1);
        return Documents.parseJson(Documents.read(Path.of(file)), "-p " + key + "=@" + file);
      }
    } catch (DocumentException e) {
      throw new UsageException(e.getMessage());
    }
    return StringNode.valueOf(value);
  }

  static ObjectNode secrets(List<String> arguments) {
    ObjectNode secrets = Documents.JSON.createObjectNode();
    for (String argument : arguments) {
      int equals = argument.indexOf('=');
      if (equals <= 0) {
        // Not repeated: what was typed may be the secret itself.
        throw new UsageException("a --secret is not NAME=@file or NAME=value");
      }
      String name = argument.substring(0, equals);
      String value = argument.substring(equals + 1);
      if (secrets.has(name)) {
        throw new UsageException("--secret gives the secret '" + name + "' twice");
      }
      if (value.startsWith("@")) {
        try {
          value = Documents.read(Path.of(value.substring(1)));
        } catch (DocumentException e) {
          throw new UsageException("--secret " + name + ": " + e.getMessage());
        }
        value =
            value.endsWith("\r\n")
                ? value.substring(0, value.length() - 2)
                : value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
      }
      secrets.put(name, value);
    }
    return secrets;
  }

  /**
   * {@code parameters} as the launch request's body with {@code tool} and the rest.
   *
   * @param secretRef the Secret in toolrun's namespace that holds the secrets, or null
   */
  static ObjectNode launchRequest(
      String tool, Integer version, ObjectNode parameters, ObjectNode secrets, String secretRef) {
    ObjectNode request = Documents.JSON.createObjectNode();
    request.put("tool", tool);
    if (version != null) {
      request.put("version", version);
    }
    if (!parameters.isEmpty()) {
      request.set("parameters", parameters);
    }
    if (!secrets.isEmpty()) {
      request.set("secrets", secrets);
    }
    if (secretRef != null) {
      request.putObject("secretRef").put("name", secretRef);
    }
    return request;
  }

  static Map.Entry<String, String> header(String argument) {
    int colon = argument.indexOf(':');
    if (colon <= 0) {
      throw new UsageException("-H '" + argument + "' is not 'Name: value'");
    }
    return Map.entry(argument.substring(0, colon).strip(), argument.substring(colon + 1).strip());
  }
}
