package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.Tool;

/**
 * Everything a runtime needs to create one instance's workload, secrets included: their values in
 * {@code secrets}, or, when the instance has a {@link Instance#secretReference()}, none here (the
 * workload takes them from the Secret it names).
 */
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
    if (instance.secretReference().isPresent()) {
      if (!secrets.isEmpty()) {
        throw new IllegalArgumentException(
            "instance %s takes its secrets from %s: no values are given with it"
                .formatted(instance.id(), instance.secretReference().get()));
      }
    } else if (!instance.secretNames().equals(secrets.names())) {
      throw new IllegalArgumentException(
          "the secrets given do not match the instance's secret names");
    }
  }
}
