package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules every {@link LogStore} applies alike, so that a log reads the same whichever store kept
 * it: how an overlong line is cut, and which reads are refused.
 */
public final class LogLines {
  private LogLines() {}

  /**
   * {@code lines}, each cut to at most {@code maxLineLength} characters with a marker that says how
   * many were cut; a surrogate pair is never split, since half a character is not text.
   */
  public static List<String> fitted(List<String> lines, int maxLineLength) {
    requireNonNull(lines, "lines is null");
    List<String> fitted = new ArrayList<>(lines.size());
    for (String line : lines) {
      fitted.add(fit(requireNonNull(line, "a log line is null"), maxLineLength));
    }
    return fitted;
  }

  private static String fit(String line, int maxLineLength) {
    if (line.length() <= maxLineLength) {
      return line;
    }
    int cut = maxLineLength;
    if (Character.isHighSurrogate(line.charAt(cut - 1)) && cut > 1) {
      cut--;
    }
    return line.substring(0, cut)
        + " [toolrun: line cut, %d more characters]".formatted(line.length() - cut);
  }

  /** Refuses a read of {@link LogStore#read} from a negative line or of fewer than one line. */
  public static void checkRead(long fromLine, int limit) {
    if (fromLine < 0) {
      throw new IllegalArgumentException("fromLine must not be negative, was " + fromLine);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, was " + limit);
    }
  }
}
