package dev.toolrun.adapter.mcp;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.ToolName;
import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The secret inputs MCP calls get from the server, by tool and secret name: configuration, so only
 * references to the values ({@link SecretReference}). A model never supplies a secret; a tool whose
 * secret inputs are not all bound here cannot be called over MCP.
 */
public record ToolSecrets(SortedMap<ToolName, SortedMap<String, SecretReference>> bindings) {
  private static final SortedMap<String, SecretReference> NO_SECRETS =
      Collections.unmodifiableSortedMap(new TreeMap<>());

  public static final ToolSecrets NONE = new ToolSecrets(new TreeMap<>());

  public ToolSecrets {
    requireNonNull(bindings, "bindings is null");
    SortedMap<ToolName, SortedMap<String, SecretReference>> copy = new TreeMap<>();
    bindings.forEach(
        (tool, secrets) -> {
          requireNonNull(tool, "tool is null");
          secrets.forEach(
              (name, reference) -> {
                requireNonNull(name, "secret name is null");
                requireNonNull(reference, "reference of " + name + " is null");
              });
          copy.put(tool, Collections.unmodifiableSortedMap(new TreeMap<>(secrets)));
        });
    bindings = Collections.unmodifiableSortedMap(copy);
  }

  /** These bindings plus {@code tool}'s secret {@code name} at {@code reference}. */
  public ToolSecrets with(ToolName tool, String name, SecretReference reference) {
    SortedMap<ToolName, SortedMap<String, SecretReference>> more = new TreeMap<>(bindings);
    SortedMap<String, SecretReference> secrets = new TreeMap<>(more.getOrDefault(tool, NO_SECRETS));
    secrets.put(requireNonNull(name, "name is null"), reference);
    more.put(tool, secrets);
    return new ToolSecrets(more);
  }

  /** Where {@code tool}'s secret {@code name} is found, if it is bound. */
  public Optional<SecretReference> find(ToolName tool, String name) {
    return Optional.ofNullable(bindings.getOrDefault(tool, NO_SECRETS).get(name));
  }
}
