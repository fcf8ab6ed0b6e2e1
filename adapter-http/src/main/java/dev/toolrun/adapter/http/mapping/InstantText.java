package dev.toolrun.adapter.http.mapping;

import java.time.Instant;
import java.time.LocalDate;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ser.std.StdSerializer;

/**
 * Writes an {@link Instant} as {@link Instant#toString()} does (ISO-8601 in UTC, the fraction in
 * groups of three digits, none when it is zero), without going through a {@code DateTimeFormatter}:
 * every instance a read answers holds several instants, and the formatter was about a tenth of the
 * CPU of a {@code GET} of an instance (docs/benchmarks.md, figure 4a). Years outside 0–9999, which
 * the ISO form writes with a sign, go to {@link Instant#toString()}.
 */
final class InstantText extends StdSerializer<Instant> {
  private static final long SECONDS_PER_DAY = 86_400;
  // 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
  private static final long FIRST_SECOND = -62_167_219_200L;
  private static final long LAST_SECOND = 253_402_300_799L;

  InstantText() {
    super(Instant.class);
  }

  @Override
  public void serialize(Instant value, JsonGenerator generator, SerializationContext context) {
    char[] text = new char[30];
    int length = format(value, text);
    if (length < 0) {
      generator.writeString(value.toString());
    } else {
      generator.writeString(text, 0, length);
    }
  }

  /** Writes {@code instant} into {@code text}; its length, or -1 for a year outside 0–9999. */
  static int format(Instant instant, char[] text) {
    long seconds = instant.getEpochSecond();
    if (seconds < FIRST_SECOND || seconds > LAST_SECOND) {
      return -1;
    }
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
    int year = date.getYear();
    int ofDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    digits(text, 0, year, 4);
    text[4] = '-';
    digits(text, 5, date.getMonthValue(), 2);
    text[7] = '-';
    digits(text, 8, date.getDayOfMonth(), 2);
    text[10] = 'T';
    digits(text, 11, ofDay / 3600, 2);
    text[13] = ':';
    digits(text, 14, ofDay / 60 % 60, 2);
    text[16] = ':';
    digits(text, 17, ofDay % 60, 2);
    int at = 19;
    int nanos = instant.getNano();
    if (nanos != 0) {
      text[at++] = '.';
      if (nanos % 1_000_000 == 0) {
        digits(text, at, nanos / 1_000_000, 3);
        at += 3;
      } else if (nanos % 1_000 == 0) {
        digits(text, at, nanos / 1_000, 6);
        at += 6;
      } else {
        digits(text, at, nanos, 9);
        at += 9;
      }
    }
    text[at++] = 'Z';
    return at;
  }

  // The last `count` decimal digits of `value`, zero-padded, at `at`.
  private static void digits(char[] text, int at, int value, int count) {
    for (int i = at + count - 1; i >= at; i--) {
      text[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
