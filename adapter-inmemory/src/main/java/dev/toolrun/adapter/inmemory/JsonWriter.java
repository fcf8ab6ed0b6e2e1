package dev.toolrun.adapter.inmemory;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Writes the values {@link dev.toolrun.domain.instance.Parameters} holds (String, Boolean,
 * BigDecimal, List, Map with string keys) as JSON text, so this module needs no JSON library.
 */
final class JsonWriter {
  private JsonWriter() {}

  /**
   * The JSON text of {@code value}.
   *
   * @throws IllegalArgumentException when {@code value} holds something else, or a null
   */
  static String write(Object value) {
    StringBuilder json = new StringBuilder();
    append(json, value);
    return json.toString();
  }

  private static void append(StringBuilder json, Object value) {
    if (value instanceof String text) {
      appendString(json, text);
    } else if (value instanceof Boolean bool) {
      json.append(bool.booleanValue());
    } else if (value instanceof BigDecimal number) {
      // toString, not toPlainString: an exponent is valid JSON, and 1E+1000000 stays short.
      json.append(number);
    } else if (value instanceof List<?> list) {
      json.append('[');
      for (Iterator<?> it = list.iterator(); it.hasNext(); ) {
        append(json, it.next());
        if (it.hasNext()) {
          json.append(',');
        }
      }
      json.append(']');
    } else if (value instanceof Map<?, ?> map) {
      json.append('{');
      for (Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<?, ?> entry = it.next();
        if (!(entry.getKey() instanceof String key)) {
          throw new IllegalArgumentException(
              "JSON object keys must be strings, not " + entry.getKey());
        }
        appendString(json, key);
        json.append(':');
        append(json, entry.getValue());
        if (it.hasNext()) {
          json.append(',');
        }
      }
      json.append('}');
    } else {
      throw new IllegalArgumentException(
          "cannot write %s as JSON".formatted(value == null ? "null" : value.getClass().getName()));
    }
  }

  private static void appendString(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          // U+2028 and U+2029 are valid JSON but end a line in JavaScript source; a lone surrogate
          // cannot be encoded as UTF-8 and would turn into '?', so it is escaped as it is.
          if (c < 0x20 || c == '\u2028' || c == '\u2029' || isLoneSurrogate(text, i)) {
            json.append("\\u%04x".formatted((int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }

  private static boolean isLoneSurrogate(String text, int i) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
    }
    return false;
  }
}
