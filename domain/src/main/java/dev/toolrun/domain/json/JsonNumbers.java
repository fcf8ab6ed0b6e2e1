package dev.toolrun.domain.json;

import dev.toolrun.domain.error.ValidationException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * Numbers of JSON documents held as plain Java values: every kind of {@link Number} a JSON library
 * may hand over is normalised to one {@link BigDecimal}, so that equal inputs compare equal and no
 * number goes through a double on its way in.
 */
public final class JsonNumbers {
  private JsonNumbers() {}

  /**
   * {@code value} as a {@link BigDecimal}, or {@code null} when it is no number.
   *
   * @param path where the value is, for the violation of a number that is not finite
   * @throws ValidationException when it is a NaN or an infinity, which JSON cannot hold
   */
  public static BigDecimal normalise(Object value, String path) {
    if (value instanceof BigDecimal decimal) {
      return decimal;
    }
    if (value instanceof Integer
        || value instanceof Long
        || value instanceof Short
        || value instanceof Byte) {
      return BigDecimal.valueOf(((Number) value).longValue());
    }
    if (value instanceof BigInteger big) {
      return new BigDecimal(big);
    }
    if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw ValidationException.of(path, "must be a finite number");
      }
      return BigDecimal.valueOf(d);
    }
    return null;
  }
}
