package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A stretch of an instance's log.
 *
 * @param lines the lines, each with its number in the whole log (from 0)
 * @param nextLine the number to read from next: the one after the last line returned, or, when no
 *     line is returned, the first line that is still kept at or after the one asked for, and never
 *     more than the number of lines written so far (so it never points past the end)
 * @param droppedLines how many of the oldest lines were dropped to keep the log within its bound;
 *     lines numbered below this are gone
 * @param complete whether the log will not grow any more (the instance ended and what could be
 *     collected of its output was collected); whether every line reached it is {@code missing}
 * @param missing why lines its source wrote are missing from the log, or may be (a stream that
 *     could not be read to its end, output the runtime lost before it was read); empty when every
 *     line was stored. Lines dropped by the bound are counted in {@code droppedLines}, not here.
 */
public record LogPage(
    List<LogLine> lines,
    long nextLine,
    long droppedLines,
    boolean complete,
    Optional<String> missing) {
  public LogPage {
    lines = List.copyOf(requireNonNull(lines, "lines is null"));
    requireNonNull(missing, "missing is null");
  }

  /** A page of a log from which no line its source wrote is known to be missing. */
  public LogPage(List<LogLine> lines, long nextLine, long droppedLines, boolean complete) {
    this(lines, nextLine, droppedLines, complete, Optional.empty());
  }

  /** One line of output and its number in the whole log. */
  public record LogLine(long number, String text) {
    public LogLine {
      requireNonNull(text, "text is null");
    }
  }
}
