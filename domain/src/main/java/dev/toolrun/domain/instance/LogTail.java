package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The last lines of an instance's log, kept with its record so they outlive the workload and a
 * restart of toolrun.
 *
 * @param totalLines how many lines the whole log had; those before the tail are not kept
 */
public record LogTail(List<String> lines, long totalLines) {
  /** Lines kept: enough to see why a run failed, small enough for a record. */
  public static final int MAX_LINES = 100;

  public LogTail {
    lines = List.copyOf(requireNonNull(lines, "lines is null"));
    if (lines.size() > MAX_LINES) {
      throw new IllegalArgumentException("a log tail keeps at most %d lines".formatted(MAX_LINES));
    }
    if (totalLines < lines.size()) {
      throw new IllegalArgumentException("a log has at least the lines of its tail");
    }
  }
}
