package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * Whether an instance's log is all there.
 *
 * @param state whether it still grows, and once it does not, whether every line its workload wrote
 *     reached it
 * @param lines how many lines the log has had in all (dropped ones included)
 * @param droppedLines how many of the oldest lines toolrun did not keep, to keep the log within its
 *     bound: they are not missing, they are counted
 * @param missing why lines are missing, when they are or may be
 */
public record LogStatus(State state, long lines, long droppedLines, Optional<String> missing) {
  public LogStatus {
    requireNonNull(state, "state is null");
    requireNonNull(missing, "missing is null");
  }

  /** Where a log stands. */
  public enum State {
    /** The log may still grow: the run goes on, or its output is still being collected. */
    OPEN,
    /** The log will not grow, and every line the workload wrote reached it. */
    COMPLETE,
    /** The log will not grow, and lines the workload wrote are missing from it, or may be. */
    INCOMPLETE;

    /** Where a log stands that has {@code ended} or not, with lines {@code missing} or not. */
    public static State of(boolean ended, Optional<String> missing) {
      return !ended ? OPEN : missing.isPresent() ? INCOMPLETE : COMPLETE;
    }
  }
}
