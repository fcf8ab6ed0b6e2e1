package dev.toolrun.domain.tool;

import dev.toolrun.domain.error.Violations;

/**
 * How many pods of one run work at once ({@code parallelism}) and how many must succeed for the run
 * to succeed ({@code completions}).
 */
public record Parallelism(int parallelism, int completions) {
  public static final Parallelism SINGLE = new Parallelism(1, 1);
  public static final int MAX = 1000;

  public Parallelism {
    var violations = new Violations();
    violations.check(
        parallelism < 1 || parallelism > MAX,
        "parallelism",
        "must be between 1 and %d".formatted(MAX));
    violations.check(
        completions < 1 || completions > MAX,
        "completions",
        "must be between 1 and %d".formatted(MAX));
    violations.check(
        parallelism > completions,
        "parallelism",
        "must not exceed completions (%d)".formatted(completions));
    violations.throwIfAny();
  }

  public boolean isSingle() {
    return parallelism == 1 && completions == 1;
  }
}
