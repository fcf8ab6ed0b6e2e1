package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

/**
 * Where the lines of a log stored so far end in their source, in the writer's own words, so that a
 * writer that restarts resumes its source without losing or repeating a line.
 *
 * @param value the mark the writer last appended with its lines (its format is the writer's)
 * @param linesAfter how many lines were stored after the ones {@code value} covers (lines that
 *     reached the store without a mark of their own, or whose mark was lost in a crash): the writer
 *     skips that many more lines of its source after {@code value}
 */
public record LogMark(String value, long linesAfter) {
  public LogMark {
    requireNonNull(value, "value is null");
    if (linesAfter < 0) {
      throw new IllegalArgumentException("linesAfter must not be negative, was " + linesAfter);
    }
  }
}
