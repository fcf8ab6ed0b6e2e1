package dev.toolrun.cli.commands;

import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A duration as people write it: {@code 250ms}, {@code 2s}, {@code 1m}. */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Duration MIN = Duration.ofMillis(10);

  @Override
  public Duration convert(String value) {
    String text = value.strip().toLowerCase(Locale.ROOT);
    Duration duration;
    try {
      if (text.endsWith("ms")) {
        duration = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
      } else if (text.endsWith("s")) {
        duration = Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
      } else if (text.endsWith("m")) {
        duration = Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
      } else {
        throw new NumberFormatException();
      }
    } catch (NumberFormatException e) {
      throw new TypeConversionException(
          "'" + value + "' is not a duration such as 500ms, 2s or 1m");
    }
    if (duration.compareTo(MIN) < 0) {
      throw new TypeConversionException("'" + value + "' is shorter than 10ms");
    }
    return duration;
  }
}
