package dev.toolrun.bench.local;

import static java.util.Objects.requireNonNull;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One figure as the line {@code bench/local} prints: {@code RESULT <figure> key=value ...}, with
 * keys and values free of spaces so that a line splits on blanks and then on the first {@code =}.
 * The format is documented at the top of {@code bench/local}.
 */
final class ResultLine {
  private static final Pattern TOKEN = Pattern.compile("[^\\s=]+");
  private static final Pattern VALUE = Pattern.compile("\\S+");

  private final StringBuilder line = new StringBuilder("RESULT");

  /** A line for {@code figure}, e.g. {@code startup.ready}. */
  ResultLine(String figure) {
    line.append(' ').append(checked(TOKEN, figure, "figure"));
  }

  /** Adds {@code key=value}. */
  ResultLine with(String key, String value) {
    line.append(' ')
        .append(checked(TOKEN, key, "key"))
        .append('=')
        .append(checked(VALUE, value, "value"));
    return this;
  }

  /** Adds {@code key=value}. */
  ResultLine with(String key, long value) {
    return with(key, Long.toString(value));
  }

  /** Adds {@code key=value} with two decimals, whatever the default locale. */
  ResultLine with(String key, double value) {
    return with(key, String.format(Locale.ROOT, "%.2f", value));
  }

  /** Adds the median as {@code key}, and {@code key_min} and {@code key_max}. */
  ResultLine with(String key, Spread spread) {
    return with(key, spread.median())
        .with(key + "_min", spread.min())
        .with(key + "_max", spread.max());
  }

  /**
   * Adds the target as written (e.g. {@code ready_ms<=1500}) and {@code met=yes} or {@code met=no}.
   */
  ResultLine target(String target, boolean met) {
    return with("target", target).with("met", met ? "yes" : "no");
  }

  @Override
  public String toString() {
    return line.toString();
  }

  private static String checked(Pattern pattern, String token, String what) {
    requireNonNull(token, what + " is null");
    if (!pattern.matcher(token).matches()) {
      throw new IllegalArgumentException(what + " '" + token + "' has a blank or is empty");
    }
    return token;
  }
}
