package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A launch was refused because the instance records held in memory would go beyond their budget.
 * Nothing was recorded; the same launch may succeed once ended records are removed or runs end.
 */
public final class MemoryBudgetExceededException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  private final Duration retryAfter;

  /**
   * @param heldBytes what the records in memory take now
   * @param launchBytes what the refused launch's record would take
   * @param budgetBytes the budget
   * @param retryAfter when trying again may be worth it
   */
  public MemoryBudgetExceededException(
      long heldBytes, long launchBytes, long budgetBytes, Duration retryAfter) {
    super(
        ("the instance records in memory take %d bytes of their budget of %d"
                + " (records.memory-budget-bytes), and this launch would add %d; try again once"
                + " runs have ended and retention has removed old records")
            .formatted(heldBytes, budgetBytes, launchBytes));
    this.retryAfter = requireNonNull(retryAfter, "retryAfter is null");
  }

  /** How long a client should wait before trying again. */
  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.MEMORY_BUDGET_EXCEEDED;
  }
}
