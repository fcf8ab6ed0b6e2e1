package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.Tool;

/** Everything a runtime needs to create one instance's workload, secrets included. */
public record Launch(Instance instance, Tool tool, SecretValues secrets) {
  public Launch {
    requireNonNull(instance, "instance is null");
    requireNonNull(tool, "tool is null");
    requireNonNull(secrets, "secrets is null");
    if (!instance.toolName().equals(tool.name()) || instance.toolVersion() != tool.version()) {
      throw new IllegalArgumentException(
          "instance %s runs %s v%d, not %s v%d"
              .formatted(
                  instance.id(),
                  instance.toolName(),
                  instance.toolVersion(),
                  tool.name(),
                  tool.version()));
    }
    if (!instance.secretNames().equals(secrets.names())) {
      throw new IllegalArgumentException(
          "the secrets given do not match the instance's secret names");
    }
  }
}
