package dev.toolrun.domain.json;

import dev.toolrun.domain.error.ValidationException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text to and from the plain Java values the domain holds documents as ({@link String}, {@link
 * Boolean}, {@link BigDecimal}, {@link List}, {@link Map} with string keys), so the domain needs no
 * JSON library. Writing is compact (no whitespace) and keeps a map's order; numbers are written by
 * {@link BigDecimal#toString()}, so {@code 1E+1000000} stays short.
 */
public final class JsonText {
  private JsonText() {}

  /**
   * The JSON text of {@code value}.
   *
   * @throws IllegalArgumentException when {@code value} holds something else, or a null
   */
  public static String write(Object value) {
    StringBuilder json = new StringBuilder();
    append(json, value);
    return json.toString();
  }

  /**
   * The value {@code json} holds: objects as unmodifiable maps in the order of the text, arrays as
   * unmodifiable lists, every number as a {@link BigDecimal}, JSON {@code null} as {@code null}.
   *
   * @param maxDepth the most objects and arrays that may nest in one another
   * @throws ValidationException when it is not one JSON value, nests deeper than {@code maxDepth},
   *     or holds an object with a field twice; the field is named as {@code a.b[2]}
   */
  public static Object parse(String json, int maxDepth) {
    Reader reader = new Reader(json, maxDepth);
    reader.skipWhitespace();
    Object value = reader.value("", 1);
    reader.skipWhitespace();
    if (reader.at < json.length()) {
      throw reader.malformed("", "more than one JSON value");
    }
    return value;
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

  /** A recursive descent over one text; depth is bounded, so the recursion is too. */
  private static final class Reader {
    private final String text;
    private final int maxDepth;
    private int at;

    Reader(String text, int maxDepth) {
      this.text = text;
      this.maxDepth = maxDepth;
    }

    Object value(String path, int depth) {
      if (at >= text.length()) {
        throw malformed(path, "the text ends where a value was expected");
      }
      char c = text.charAt(at);
      return switch (c) {
        case '{' -> object(path, depth);
        case '[' -> array(path, depth);
        case '"' -> string(path);
        case 't' -> literal(path, "true", Boolean.TRUE);
        case 'f' -> literal(path, "false", Boolean.FALSE);
        case 'n' -> literal(path, "null", null);
        default -> number(path);
      };
    }

    private Map<String, Object> object(String path, int depth) {
      checkDepth(path, depth);
      at++;
      Map<String, Object> members = new LinkedHashMap<>();
      skipWhitespace();
      if (peek() == '}') {
        at++;
        return Collections.emptyMap();
      }
      while (true) {
        skipWhitespace();
        if (peek() != '"') {
          throw malformed(path, "a field name was expected");
        }
        String key = string(path);
        String child = path.isEmpty() ? key : path + "." + key;
        skipWhitespace();
        expect(path, ':');
        skipWhitespace();
        Object member = value(child, depth + 1);
        if (members.containsKey(key)) {
          throw ValidationException.of(
              child, "is given more than once; a field may appear only once in an object");
        }
        members.put(key, member);
        skipWhitespace();
        char next = peek();
        at++;
        if (next == '}') {
          return Collections.unmodifiableMap(members);
        }
        if (next != ',') {
          throw malformed(path, "',' or '}' was expected");
        }
      }
    }

    private List<Object> array(String path, int depth) {
      checkDepth(path, depth);
      at++;
      skipWhitespace();
      if (peek() == ']') {
        at++;
        return List.of();
      }
      List<Object> elements = new ArrayList<>();
      while (true) {
        skipWhitespace();
        elements.add(value(path + "[" + elements.size() + "]", depth + 1));
        skipWhitespace();
        char next = peek();
        at++;
        if (next == ']') {
          return Collections.unmodifiableList(elements);
        }
        if (next != ',') {
          throw malformed(path, "',' or ']' was expected");
        }
      }
    }

    private String string(String path) {
      at++;
      StringBuilder out = null;
      int start = at;
      while (true) {
        if (at >= text.length()) {
          throw malformed(path, "a string is not closed");
        }
        char c = text.charAt(at);
        if (c == '"') {
          String plain = text.substring(start, at);
          at++;
          return out == null ? plain : out.append(plain).toString();
        }
        if (c < 0x20) {
          throw malformed(path, "a string holds an unescaped control character");
        }
        if (c != '\\') {
          at++;
          continue;
        }
        if (out == null) {
          out = new StringBuilder();
        }
        out.append(text, start, at);
        at++;
        char escaped = at < text.length() ? text.charAt(at) : 0;
        switch (escaped) {
          case '"', '\\', '/' -> out.append(escaped);
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'n' -> out.append('\n');
          case 'r' -> out.append('\r');
          case 't' -> out.append('\t');
          case 'u' -> {
            if (at + 5 > text.length()) {
              throw malformed(path, "a \\u escape is cut short");
            }
            try {
              out.append((char) Integer.parseInt(text.substring(at + 1, at + 5), 16));
            } catch (NumberFormatException e) {
              throw malformed(path, "a \\u escape is not hexadecimal");
            }
            at += 4;
          }
          default -> throw malformed(path, "a string holds an unknown escape");
        }
        at++;
        start = at;
      }
    }

    private Object literal(String path, String word, Boolean value) {
      if (!text.startsWith(word, at)) {
        throw malformed(path, "an unknown literal");
      }
      at += word.length();
      return value;
    }

    private BigDecimal number(String path) {
      int start = at;
      if (peek() == '-') {
        at++;
      }
      if (peek() == '0') {
        at++;
      } else if (!digits()) {
        throw malformed(path, "a value was expected");
      }
      if (peek() == '.') {
        at++;
        if (!digits()) {
          throw malformed(path, "a fraction needs digits");
        }
      }
      if (peek() == 'e' || peek() == 'E') {
        at++;
        if (peek() == '+' || peek() == '-') {
          at++;
        }
        if (!digits()) {
          throw malformed(path, "an exponent needs digits");
        }
      }
      try {
        return new BigDecimal(text.substring(start, at));
      } catch (NumberFormatException e) {
        // An exponent beyond what a BigDecimal holds (about 2^31).
        throw ValidationException.of(path, "is a number too large to hold");
      }
    }

    private boolean digits() {
      int start = at;
      while (at < text.length() && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
        at++;
      }
      return at > start;
    }

    private void checkDepth(String path, int depth) {
      if (depth > maxDepth) {
        throw ValidationException.of(path, "nests deeper than %d levels".formatted(maxDepth));
      }
    }

    private void expect(String path, char c) {
      if (peek() != c) {
        throw malformed(path, "'" + c + "' was expected");
      }
      at++;
    }

    private char peek() {
      return at < text.length() ? text.charAt(at) : 0;
    }

    void skipWhitespace() {
      while (at < text.length()) {
        char c = text.charAt(at);
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
          return;
        }
        at++;
      }
    }

    ValidationException malformed(String path, String what) {
      return ValidationException.of(path, "is not valid JSON: %s at %d".formatted(what, at));
    }
  }
}
