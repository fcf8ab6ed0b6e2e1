package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * The last lines of an instance's log, kept with its record so they outlive the workload and a
 * restart of toolrun, and what the log store said of the whole log when they were taken.
 *
 * @param totalLines how many lines the whole log had; those before the tail are not kept
 * @param droppedLines how many of the oldest lines the log store had dropped to keep the log within
 *     its bound (counted, not missing)
 * @param ended whether the log would not grow any more: a tail taken before the log ended (a run
 *     cancelled while its workload still wrote) is taken again once it has
 * @param missing why lines the workload wrote are missing from the log, or may be; empty when none
 *     is known to be
 */
public record LogTail(
    List<String> lines,
    long totalLines,
    long droppedLines,
    boolean ended,
    Optional<String> missing) {
  /** Lines kept: enough to see why a run failed, small enough for a record. */
  public static final int MAX_LINES = 100;

  /** The tail of a run that ended before it started: it wrote nothing, and never will. */
  public static final LogTail NONE_WRITTEN = new LogTail(List.of(), 0);

  public LogTail {
    lines = List.copyOf(requireNonNull(lines, "lines is null"));
    requireNonNull(missing, "missing is null");
    if (lines.size() > MAX_LINES) {
      throw new IllegalArgumentException("a log tail keeps at most %d lines".formatted(MAX_LINES));
    }
    if (totalLines < lines.size()) {
      throw new IllegalArgumentException("a log has at least the lines of its tail");
    }
    if (droppedLines < 0 || droppedLines > totalLines - lines.size()) {
      throw new IllegalArgumentException("only lines before the tail can have been dropped");
    }
  }

  /**
   * The tail of an ended log from which no line is known to be missing or dropped: what a record
   * kept before tails said how their log stood reads as, since its tail was taken once the log had
   * been drained and closed.
   */
  public LogTail(List<String> lines, long totalLines) {
    this(lines, totalLines, 0, true, Optional.empty());
  }

  /** This tail cut to its last {@code kept} lines (to fit a record), saying the same of the log. */
  public LogTail keepingLast(int kept) {
    if (kept < 0 || kept > lines.size()) {
      throw new IllegalArgumentException("a tail of %d lines keeps 0 to all".formatted(kept));
    }
    return new LogTail(
        lines.subList(lines.size() - kept, lines.size()), totalLines, droppedLines, ended, missing);
  }
}
