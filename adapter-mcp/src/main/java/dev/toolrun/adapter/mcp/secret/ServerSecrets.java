package dev.toolrun.adapter.mcp.secret;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.mcp.SecretReference;
import dev.toolrun.adapter.mcp.ToolSecrets;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.Tool;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Supplies the secret inputs of MCP calls from the server's configuration ({@link ToolSecrets}),
 * reading each value at the call: an environment variable of the process, or a file, so that a
 * rotated Kubernetes Secret is picked up. Values are handed to the launch only; no message here
 * carries one.
 */
public final class ServerSecrets {
  private final ToolSecrets bindings;
  private final Function<String, String> environment;

  /**
   * @param environment the process's environment variables ({@code System::getenv})
   */
  public ServerSecrets(ToolSecrets bindings, Function<String, String> environment) {
    this.bindings = requireNonNull(bindings, "bindings is null");
    this.environment = requireNonNull(environment, "environment is null");
  }

  /** The secret inputs of {@code tool} that the configuration does not bind, in order. */
  public List<String> unbound(Tool tool) {
    return tool.spec().secretInputs().stream()
        .filter(name -> bindings.find(tool.name(), name).isEmpty())
        .toList();
  }

  /** The configuration key that binds {@code tool}'s secret {@code name}. */
  public static String key(Tool tool, String name) {
    return "mcp.secrets." + tool.name().value() + "." + name;
  }

  /**
   * The values of every secret input {@code tool} declares, and of no other; may block to read a
   * file.
   *
   * @throws McpError (internal error) when one is not bound or cannot be read; the message names
   *     the secret and its reference, never a value
   */
  public SecretValues valuesFor(Tool tool) {
    Map<String, String> values = new TreeMap<>();
    for (String name : tool.spec().secretInputs()) {
      SecretReference reference =
          bindings
              .find(tool.name(), name)
              .orElseThrow(
                  () ->
                      unavailable(
                          "the secret input %s of tool %s is not configured on the server (%s)"
                              .formatted(name, tool.name().value(), key(tool, name))));
      values.put(name, read(tool, name, reference));
    }
    return new SecretValues(values);
  }

  private String read(Tool tool, String name, SecretReference reference) {
    String where =
        "the secret input %s of tool %s (%s = %s)"
            .formatted(name, tool.name().value(), key(tool, name), reference);
    if (reference instanceof SecretReference.Environment variable) {
      String value = environment.apply(variable.name());
      if (value == null) {
        throw unavailable(where + ": the environment variable is not set");
      }
      return value;
    }
    SecretReference.File file = (SecretReference.File) reference;
    try {
      // A trailing line break is the editor's or echo's, not the secret's.
      return Files.readString(file.path(), StandardCharsets.UTF_8).replaceFirst("[\\r\\n]+$", "");
    } catch (IOException | RuntimeException e) {
      throw unavailable(where + ": the file cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static McpError unavailable(String message) {
    return McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR).message(message).build();
  }
}
