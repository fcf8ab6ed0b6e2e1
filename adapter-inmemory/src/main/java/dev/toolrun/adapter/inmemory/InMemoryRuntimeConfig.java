package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.ToolSpec;
import java.time.Duration;

/**
 * How the {@link InMemoryWorkloadRuntime} paces its runs.
 *
 * @param stepDelay the time between two steps of a run (reaching RUNNING, each log line, the end)
 * @param defaultTimeout the timeout of a task whose tool sets none
 */
public record InMemoryRuntimeConfig(Duration stepDelay, Duration defaultTimeout) {
  /** Slow enough for a person to watch an instance pass through its states; the app's default. */
  public static final InMemoryRuntimeConfig DEFAULT =
      new InMemoryRuntimeConfig(Duration.ofMillis(200), ToolSpec.DEFAULT_TIMEOUT);

  public InMemoryRuntimeConfig {
    requireNonNull(stepDelay, "stepDelay is null");
    requireNonNull(defaultTimeout, "defaultTimeout is null");
    if (stepDelay.isNegative()) {
      throw new IllegalArgumentException("stepDelay must not be negative, was " + stepDelay);
    }
    if (defaultTimeout.isNegative() || defaultTimeout.isZero()) {
      throw new IllegalArgumentException("defaultTimeout must be positive, was " + defaultTimeout);
    }
  }

  /** Runs play their steps without delay, for tests; timeouts stay as tools set them. */
  public static InMemoryRuntimeConfig instant() {
    return new InMemoryRuntimeConfig(Duration.ZERO, ToolSpec.DEFAULT_TIMEOUT);
  }
}
