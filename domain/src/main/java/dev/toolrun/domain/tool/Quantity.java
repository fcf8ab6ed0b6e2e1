package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Kubernetes resource quantity such as {@code 500m}, {@code 2Gi} or {@code 1e3}, parsed exactly.
 *
 * <p>A final class rather than a record because equality is by amount, not by spelling: {@code 1Gi}
 * equals {@code 1024Mi}, so re-registering a spec written either way is the same spec. The text a
 * user wrote is kept and is what adapters hand to Kubernetes.
 */
public final class Quantity implements Comparable<Quantity> {
  // <signedNumber><suffix>, suffix one of binarySI, decimalExponent, decimalSI (Kubernetes
  // apimachinery resource.Quantity grammar). Exponent before the lone 'E' (exa) so "1E3" is 1000.
  private static final Pattern GRAMMAR =
      Pattern.compile(
          "([+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[eE][+-]?[0-9]+|n|u|m|k|M|G|T|P|E)?");
  // Kubernetes keeps quantities as int64 with at most nano precision; anything larger is a typo.
  private static final BigDecimal MAX = new BigDecimal(Long.MAX_VALUE);
  private static final int MAX_EXPONENT = 18;

  private final String text;
  private final BigDecimal amount;

  private Quantity(String text, BigDecimal amount) {
    this.text = text;
    this.amount = amount;
  }

  /**
   * Parses a quantity.
   *
   * @throws ValidationException if {@code text} is not a quantity, is negative, or is beyond what
   *     Kubernetes can represent
   */
  public static Quantity parse(String text) {
    requireNonNull(text, "text is null");
    Matcher m = GRAMMAR.matcher(text);
    if (text.length() > 64 || !m.matches()) {
      throw invalid(text, "is not a Kubernetes quantity (examples: 500m, 2, 1.5Gi, 512Mi, 1e3)");
    }
    BigDecimal number = new BigDecimal(m.group(1));
    String suffix = m.group(2) == null ? "" : m.group(2);
    BigDecimal amount = number.multiply(multiplier(text, suffix));
    if (amount.signum() < 0) {
      throw invalid(text, "must not be negative");
    }
    if (amount.compareTo(MAX) > 0) {
      throw invalid(text, "is too large");
    }
    if (amount.signum() > 0 && amount.stripTrailingZeros().scale() > 9) {
      throw invalid(text, "is finer than 1n, the smallest step Kubernetes represents");
    }
    return new Quantity(text, amount);
  }

  private static BigDecimal multiplier(String text, String suffix) {
    return switch (suffix) {
      case "" -> BigDecimal.ONE;
      case "n" -> new BigDecimal("1e-9");
      case "u" -> new BigDecimal("1e-6");
      case "m" -> new BigDecimal("1e-3");
      case "k" -> BigDecimal.TEN.pow(3);
      case "M" -> BigDecimal.TEN.pow(6);
      case "G" -> BigDecimal.TEN.pow(9);
      case "T" -> BigDecimal.TEN.pow(12);
      case "P" -> BigDecimal.TEN.pow(15);
      case "E" -> BigDecimal.TEN.pow(18);
      case "Ki" -> binary(10);
      case "Mi" -> binary(20);
      case "Gi" -> binary(30);
      case "Ti" -> binary(40);
      case "Pi" -> binary(50);
      case "Ei" -> binary(60);
      default -> {
        int exponent;
        try {
          exponent = Integer.parseInt(suffix.substring(1));
        } catch (NumberFormatException e) {
          throw invalid(text, "has an exponent out of range");
        }
        if (Math.abs(exponent) > MAX_EXPONENT) {
          throw invalid(text, "has an exponent out of range");
        }
        yield BigDecimal.ONE.scaleByPowerOfTen(exponent);
      }
    };
  }

  private static BigDecimal binary(int power) {
    return new BigDecimal(BigInteger.ONE.shiftLeft(power));
  }

  private static ValidationException invalid(String text, String why) {
    return ValidationException.of("", "'%s' %s".formatted(ToolName.abbreviate(text), why));
  }

  /** The exact amount in base units (cores, bytes, devices). */
  public BigDecimal amount() {
    return amount;
  }

  /** The quantity as it was written. */
  public String text() {
    return text;
  }

  public boolean isZero() {
    return amount.signum() == 0;
  }

  @Override
  public int compareTo(Quantity other) {
    return amount.compareTo(other.amount);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Quantity other && amount.compareTo(other.amount) == 0;
  }

  @Override
  public int hashCode() {
    return amount.signum() == 0 ? 0 : amount.stripTrailingZeros().hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
