package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.MemoryBudgetExceededException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.ports.out.InstanceRepository;
import java.time.Duration;
import java.util.List;

/**
 * Holds the instance records in memory to their {@link MemoryBudget}: a launch whose record would
 * take them past it is refused before anything is recorded, so that a stream of large launches ends
 * in clear refusals instead of an {@link OutOfMemoryError}. It is the core's check, so every door
 * (REST, MCP, the command line, an embedder) gets it.
 *
 * <p>Checked, then added: launches that pass at the same moment may together go beyond the budget
 * by what they carry, at most one body each.
 */
final class RecordBudget {
  /**
   * What a refused caller is told to wait: a refusal asks retention to sweep at once, which frees
   * room within a second when ended records hold it; active ones free it as their runs end.
   */
  static final Duration RETRY_AFTER = Duration.ofSeconds(2);

  private final InstanceRepository instances;
  private final MemoryBudget budget;
  private final Runnable sweepSoon;

  RecordBudget(InstanceRepository instances, MemoryBudget budget, Runnable sweepSoon) {
    this.instances = requireNonNull(instances, "instances is null");
    this.budget = requireNonNull(budget, "budget is null");
    this.sweepSoon = requireNonNull(sweepSoon, "sweepSoon is null");
  }

  /**
   * Throws when {@code launched} would take the records past the budget, after asking retention to
   * make room for the next try.
   */
  void admit(Instance launched) {
    long held = instances.retainedBytes();
    long more = launched.retainedBytes();
    if (held + more > budget.bytes()) {
      sweepSoon.run();
      throw new MemoryBudgetExceededException(held, more, budget.bytes(), RETRY_AFTER);
    }
  }

  /**
   * What readiness says of the budget: a warning while the records are above the low-water mark,
   * where retention removes ended ones and launches may be refused; nothing otherwise.
   */
  List<String> warnings() {
    long held;
    try {
      held = instances.retainedBytes();
    } catch (RuntimeException unknown) {
      // Readiness answers at once and never fails; a store that cannot say has nothing to warn of.
      return List.of();
    }
    if (held <= budget.lowWaterBytes()) {
      return List.of();
    }
    return List.of(
        ("the instance records in memory take %d of their %d bytes (records.memory-budget-bytes);"
                + " launches that do not fit are refused with 503 MEMORY_BUDGET_EXCEEDED until runs"
                + " end and retention removes old records")
            .formatted(held, budget.bytes()));
  }
}
