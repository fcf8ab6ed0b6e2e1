package dev.toolrun.adapter.logfile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * How a log file is written: one record per {@code '\n'}-terminated line of UTF-8. A line of output
 * is stored as it is, with {@code '\'} and {@code '\n'} escaped; a record that starts with {@code
 * '\'} and a letter is the store's own: {@code \f<n>} the number of the file's first line, {@code
 * \m<mark>} the writer's mark, {@code \g<reason>} a gap, {@code \e} the end. An escaped line never
 * starts with a backslash and a letter ({@code \\…}), so the two cannot be mistaken. The file stays
 * readable with {@code zcat}/{@code less}.
 */
final class Records {
  static final char FIRST_LINE = 'f';
  static final char MARK = 'm';
  static final char GAP = 'g';
  static final char END = 'e';

  private Records() {}

  static void text(ByteArrayOutputStream out, String line) {
    StringBuilder escaped = null;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' || c == '\n') {
        if (escaped == null) {
          escaped = new StringBuilder(line.length() + 8).append(line, 0, i);
        }
        escaped.append(c == '\\' ? "\\\\" : "\\n");
      } else if (escaped != null) {
        escaped.append(c);
      }
    }
    out.writeBytes((escaped == null ? line : escaped.toString()).getBytes(StandardCharsets.UTF_8));
    out.write('\n');
  }

  static void meta(ByteArrayOutputStream out, char kind, String value) {
    out.write('\\');
    out.write(kind);
    // A meta value is escaped like a line, so a mark or a reason may hold anything.
    text(out, value);
  }

  /** One record as read back: {@code kind} is 0 for a line of output. */
  record Record(char kind, String value) {
    boolean isText() {
      return kind == 0;
    }
  }

  /**
   * Reads records one by one. A last record without its {@code '\n'} (a write cut by a crash) is
   * not a record: {@link #next} answers null before it, and {@link #bytesRead} ends at the last
   * whole one.
   */
  static final class Reader {
    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private long bytesRead;

    Reader(InputStream in) {
      this.in = in;
    }

    long bytesRead() {
      return bytesRead;
    }

    Record next() throws IOException {
      line.reset();
      while (true) {
        if (position == limit) {
          limit = in.read(buffer);
          position = 0;
          if (limit <= 0) {
            limit = 0;
            return null;
          }
        }
        for (int i = position; i < limit; i++) {
          if (buffer[i] == '\n') {
            line.write(buffer, position, i - position);
            bytesRead += line.size() + 1;
            position = i + 1;
            return decode(line.toString(StandardCharsets.UTF_8));
          }
        }
        line.write(buffer, position, limit - position);
        position = limit;
      }
    }

    private static Record decode(String raw) {
      if (raw.length() >= 2 && raw.charAt(0) == '\\' && Character.isLetter(raw.charAt(1))) {
        return new Record(raw.charAt(1), unescape(raw.substring(2)));
      }
      return new Record((char) 0, unescape(raw));
    }

    private static String unescape(String raw) {
      if (raw.indexOf('\\') < 0) {
        return raw;
      }
      StringBuilder text = new StringBuilder(raw.length());
      for (int i = 0; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c == '\\' && i + 1 < raw.length()) {
          char next = raw.charAt(++i);
          text.append(next == 'n' ? '\n' : next);
        } else {
          text.append(c);
        }
      }
      return text.toString();
    }
  }
}
