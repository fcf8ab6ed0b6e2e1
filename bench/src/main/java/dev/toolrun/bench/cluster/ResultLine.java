package dev.toolrun.bench.cluster;

import java.util.Locale;

/**
 * One figure as one line on standard output, {@code RESULT <figure> key=value ...}, the format
 * {@code bench/cluster} documents: keys in snake_case ending in their unit ({@code _ms}, {@code
 * _s}, {@code _bytes}), values without spaces. Everything else the benchmark says goes to standard
 * error, so standard output stays machine-readable.
 */
final class ResultLine {
  private final StringBuilder text;

  private ResultLine(String figure) {
    this.text = new StringBuilder("RESULT ").append(figure);
  }

  static ResultLine of(String figure) {
    return new ResultLine(figure);
  }

  ResultLine with(String key, Object value) {
    String shown = String.valueOf(value);
    if (shown.isEmpty() || shown.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "value of " + key + " must be one word, was '" + shown + "'");
    }
    text.append(' ').append(key).append('=').append(shown);
    return this;
  }

  /** Milliseconds, to a tenth. */
  ResultLine millis(String key, double millis) {
    return with(key, String.format(Locale.ROOT, "%.1f", millis));
  }

  /** Seconds, to a hundredth. */
  ResultLine seconds(String key, double seconds) {
    return with(key, String.format(Locale.ROOT, "%.2f", seconds));
  }

  /** A ratio, to a thousandth. */
  ResultLine ratio(String key, double ratio) {
    return with(key, String.format(Locale.ROOT, "%.3f", ratio));
  }

  void print() {
    System.out.println(text);
    System.out.flush();
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
