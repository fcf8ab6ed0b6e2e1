package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A stretch of an instance's log.
 *
 * @param lines the lines, each with its number in the whole log (from 0)
 * @param nextLine the number to read from next: the one after the last line returned, or, when no
 *     line is returned, the first line that is still kept at or after the one asked for, and never
 *     more than the number of lines written so far (so it never points past the end)
 * @param droppedLines how many of the oldest lines were dropped to keep the log within its bound;
 *     lines numbered below this are gone
 * @param complete whether the log will not grow any more (the instance ended and its output was
 *     fully collected)
 */
public record LogPage(List<LogLine> lines, long nextLine, long droppedLines, boolean complete) {
  public LogPage {
    lines = List.copyOf(requireNonNull(lines, "lines is null"));
  }

  /** One line of output and its number in the whole log. */
  public record LogLine(long number, String text) {
    public LogLine {
      requireNonNull(text, "text is null");
    }
  }
}
