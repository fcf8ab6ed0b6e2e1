package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.out.PoolStatus;

/**
 * Grows or shrinks a tool's warm pool while toolrun runs, without a restart: the new size replaces
 * the configured one until toolrun stops (the configuration's size comes back at the next start).
 * The runtime makes or removes pool pods in the background.
 */
public interface ResizePoolUseCase {
  /** The largest pool a tool may have, as in the {@code pools} configuration key. */
  int MAX_SIZE = 100;

  /**
   * Resizes the pool.
   *
   * @return the pool as it is right after the change (its pods follow in the background)
   * @throws dev.toolrun.domain.error.RuntimeRejectedException when the runtime keeps no pools
   */
  PoolStatus resize(ResizePoolCommand command);

  /** Which tool's pool, and how many waiting pods it keeps from now on (0 removes it). */
  record ResizePoolCommand(ToolName tool, int size) {
    public ResizePoolCommand {
      requireNonNull(tool, "tool is null");
      if (size < 0 || size > MAX_SIZE) {
        throw ValidationException.of(
            "size", "must be between 0 and %d, was %d".formatted(MAX_SIZE, size));
      }
    }
  }
}
