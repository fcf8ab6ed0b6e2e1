package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import java.time.Duration;
import java.util.Map;

/**
 * How the {@link InMemoryWorkloadRuntime} paces its runs.
 *
 * @param stepDelay the time between two steps of a run (reaching RUNNING, each log line, the end)
 * @param defaultTimeout the timeout of a task whose tool sets none
 * @param pools the size of the warm pool kept for each tool named (see {@link InMemoryPools})
 */
public record InMemoryRuntimeConfig(
    Duration stepDelay, Duration defaultTimeout, Map<ToolName, Integer> pools) {
  /** Slow enough for a person to watch an instance pass through its states; the app's default. */
  public static final InMemoryRuntimeConfig DEFAULT =
      new InMemoryRuntimeConfig(Duration.ofMillis(200), ToolSpec.DEFAULT_TIMEOUT);

  public InMemoryRuntimeConfig {
    requireNonNull(stepDelay, "stepDelay is null");
    requireNonNull(defaultTimeout, "defaultTimeout is null");
    pools = Map.copyOf(requireNonNull(pools, "pools is null"));
    if (stepDelay.isNegative()) {
      throw new IllegalArgumentException("stepDelay must not be negative, was " + stepDelay);
    }
    if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
      throw new IllegalArgumentException("defaultTimeout must be positive, was " + defaultTimeout);
    }
  }

  /** Without warm pools. */
  public InMemoryRuntimeConfig(Duration stepDelay, Duration defaultTimeout) {
    this(stepDelay, defaultTimeout, Map.of());
  }

  /** This configuration with warm pools of these sizes. */
  public InMemoryRuntimeConfig withPools(Map<ToolName, Integer> sizes) {
    return new InMemoryRuntimeConfig(stepDelay, defaultTimeout, sizes);
  }

  /** Runs play their steps without delay, for tests; timeouts stay as tools set them. */
  public static InMemoryRuntimeConfig instant() {
    return new InMemoryRuntimeConfig(Duration.ZERO, ToolSpec.DEFAULT_TIMEOUT);
  }
}
