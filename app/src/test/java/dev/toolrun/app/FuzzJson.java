package dev.toolrun.app;

import static dev.toolrun.app.Gen.w;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Generators of JSON text for the HTTP fuzz test: values of every type, numbers at the edges of
 * what parsers represent, text that is hard on every layer (unicode, control characters, lone
 * surrogates), objects shaped like the API's bodies with fields left out, mistyped or added, and
 * bodies broken at the byte level.
 *
 * <p>Everything is text, not a tree, so that raw number tokens ({@code 1e400}, {@code -0}),
 * duplicate keys and escaped lone surrogates reach the server exactly as written.
 */
final class FuzzJson {
  /** Strings that are awkward for some layer: encodings, escapes, injections, look-alikes. */
  static final List<String> NASTY_TEXT =
      List.of(
          "",
          " ",
          "\t",
          "a\nb",
          "\r\n",
          "\u0000",
          "nul\u0000inside",
          "\u001b[31mred",
          "\u007f",
          "😀",
          "👩‍👩‍👧‍👦",
          "\u202Eevil\u202C",
          "שלום עולם",
          "مرحبا",
          "e\u0301\u0302\u0303",
          "Z\u0351\u0352\u0353\u0354\u0355",
          "\u200B",
          "zero\u200Dwidth\u200C",
          "\uFEFF",
          "\u2028\u2029",
          "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
          "\uFFFD",
          "\uD800",
          "lone \uDFFF surrogate",
          "\uDBFF\uDBFF",
          "\uFFFF",
          "日本語のテキスト",
          "' OR 1=1 --",
          "<script>alert(1)</script>",
          "${jndi:ldap://127.0.0.1/a}",
          "%s%n%d",
          "{{7*7}}",
          "../../etc/passwd",
          "null",
          "true",
          "0",
          "[]",
          "{}",
          "\\",
          "\"",
          "\\u0000");

  /** Number tokens that parsers disagree about or cannot hold. */
  static final List<String> EDGE_NUMBERS =
      List.of(
          "0",
          "-0",
          "-0.0",
          "1",
          "-1",
          "0.5",
          "1.0",
          "1E2",
          "1e-2",
          "2147483647",
          "2147483648",
          "-2147483648",
          "-2147483649",
          "4294967296",
          "9223372036854775807",
          "9223372036854775808",
          "-9223372036854775809",
          "18446744073709551616",
          "12345678901234567890123",
          "1e308",
          "-1e308",
          "1e400",
          "4.9e-324",
          "1e-400",
          "0.0000000001",
          "123456789012345678901234567890.123456789",
          "1" + "0".repeat(1000));

  private FuzzJson() {}

  private static final String ALPHANUMERIC =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  /** Unicode-heavy text: the nasty list, random text of any code unit, or a mix of both. */
  static Gen<String> text() {
    Gen<String> nasty = Gen.of(NASTY_TEXT);
    Gen<String> latin1 = Gen.strings('\u0000', '\u00ff', 0, 8);
    return Gen.frequency(
        List.of(
            w(5, Gen.strings(ALPHANUMERIC, 0, 12)),
            w(4, nasty),
            w(2, Gen.strings('\u0000', '\uffff', 0, 16)),
            w(2, r -> nasty.next(r) + latin1.next(r))));
  }

  /** Text of up to 2000 characters, rarely of 10,000 or 100,000. */
  static Gen<String> longText() {
    return Gen.frequency(
        List.of(
            w(8, text()),
            w(3, Gen.strings(' ', '~', 100, 2000)),
            w(1, Gen.of(10_000, 100_000).map(n -> "x".repeat(n - 1) + "\u00e9"))));
  }

  /** {@code value} as a JSON string literal; lone surrogates always become escapes. */
  static String quote(String value, boolean asciiOnly) {
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          boolean paired =
              Character.isHighSurrogate(c)
                      && i + 1 < value.length()
                      && Character.isLowSurrogate(value.charAt(i + 1))
                  || Character.isLowSurrogate(c)
                      && i > 0
                      && Character.isHighSurrogate(value.charAt(i - 1));
          boolean lone = Character.isSurrogate(c) && !paired;
          if (c < 0x20 || lone || (asciiOnly && c > 0x7e)) {
            out.append("\\u%04x".formatted((int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }

  /** A JSON string literal of {@code content}, its non-ASCII characters escaped or not. */
  static Gen<String> string(Gen<String> content) {
    return r -> quote(content.next(r), r.nextInt(3) == 0);
  }

  /** A JSON string literal with one of {@code values} as it is, or (rarely) something else. */
  static Gen<String> stringOf(String... values) {
    return Gen.frequency(
        List.of(w(6, Gen.of(values).map(v -> quote(v, false))), w(1, string(text()))));
  }

  /** A number token, from the edge list or in the ordinary range. */
  static Gen<String> number() {
    return Gen.frequency(
        List.of(
            w(3, Gen.of(EDGE_NUMBERS)),
            w(2, Gen.ints(-5, 100).map(String::valueOf)),
            w(1, Gen.longs().map(String::valueOf)),
            w(1, r -> Double.toString(r.nextGaussian() * Math.pow(10, r.nextInt(40) - 20)))));
  }

  /**
   * An integer field: mostly in {@code min..max}, often at or beyond the edges, now and then not an
   * integer at all.
   */
  static Gen<String> integer(int min, int max) {
    return Gen.frequency(
        List.of(
            w(6, Gen.ints(min, max).map(String::valueOf)),
            w(3, Gen.of(EDGE_NUMBERS)),
            w(1, Gen.of("\"1\"", "true", "null", "[1]", "{}", "1.5", "1.0", "-0"))));
  }

  /** A boolean field, sometimes of another type that looks like one. */
  static Gen<String> bool() {
    return Gen.frequency(
        List.of(
            w(8, Gen.of("true", "false")), w(1, Gen.of("\"true\"", "1", "0", "null", "[true]"))));
  }

  /** Any JSON value: scalars of every type, arrays and objects nested up to three levels. */
  static Gen<String> anyValue() {
    return r -> anyValue(r, 3);
  }

  private static String anyValue(Random r, int depth) {
    int pick = r.nextInt(depth == 0 ? 7 : 10);
    if (pick < 3) {
      return string(text()).next(r);
    }
    if (pick < 6) {
      return number().next(r);
    }
    if (pick < 7) {
      return List.of("true", "false", "null").get(r.nextInt(3));
    }
    int size = r.nextInt(5);
    List<String> items = new ArrayList<>(size);
    boolean array = pick < 9;
    for (int i = 0; i < size; i++) {
      String value = anyValue(r, depth - 1);
      items.add(array ? value : string(text()).next(r) + ":" + value);
    }
    return array ? "[" + String.join(",", items) + "]" : "{" + String.join(",", items) + "}";
  }

  /** Arrays or objects nested 10 to 10,000 deep, around the limits of common JSON parsers. */
  static Gen<String> deep() {
    Gen<Integer> depth =
        Gen.of(10, 64, 100, 255, 256, 499, 500, 501, 999, 1000, 1001, 2000, 5000, 10_000);
    Gen<String> kind = Gen.of("array", "object", "mixed", "unclosed");
    return r -> nested(depth.next(r), kind.next(r));
  }

  static String nested(int depth, String kind) {
    StringBuilder out = new StringBuilder(depth * 8);
    for (int i = 0; i < depth; i++) {
      switch (kind) {
        case "array", "unclosed" -> out.append('[');
        case "object" -> out.append("{\"a\":");
        default -> out.append(i % 2 == 0 ? "[" : "{\"k\":");
      }
    }
    out.append("1");
    if (kind.equals("unclosed")) {
      return out.toString();
    }
    for (int i = depth - 1; i >= 0; i--) {
      switch (kind) {
        case "array" -> out.append(']');
        case "object" -> out.append('}');
        default -> out.append(i % 2 == 0 ? "]" : "}");
      }
    }
    return out.toString();
  }

  /** A list of {@code item}s. */
  static Gen<String> list(Gen<String> item, int maxSize) {
    return item.list(0, maxSize).map(items -> "[" + String.join(",", items) + "]");
  }

  /** An object of {@code value}s under {@code key}s. */
  static Gen<String> map(Gen<String> key, Gen<String> value, int maxSize) {
    Gen<String> member = r -> string(key).next(r) + ":" + value.next(r);
    return member.list(0, maxSize).map(members -> "{" + String.join(",", members) + "}");
  }

  /**
   * A field of an object shape.
   *
   * @param valid values that follow the contract (or nearly: they may still break a domain rule)
   */
  record Field(String name, boolean required, Gen<String> valid) {}

  static Field required(String name, Gen<String> valid) {
    return new Field(name, true, valid);
  }

  static Field optional(String name, Gen<String> valid) {
    return new Field(name, false, valid);
  }

  private static final Gen<String> UNKNOWN_KEY =
      Gen.frequency(
          List.of(
              w(
                  3,
                  Gen.of(
                      "unknownField",
                      "__proto__",
                      "constructor",
                      "",
                      "Spec",
                      "MODE",
                      "spec ",
                      "$ref",
                      "😀")),
              w(1, text())));

  /**
   * An object with the {@code fields} of a body's shape: required fields are usually there and
   * optional ones sometimes; a value is now and then of any type; and now and then an unknown field
   * is added or a key is repeated.
   */
  static Gen<String> object(List<Field> fields) {
    List<Field> copy = List.copyOf(fields);
    return r -> {
      List<String> members = new ArrayList<>();
      for (Field field : copy) {
        boolean present = field.required() ? r.nextInt(25) != 0 : r.nextInt(5) < 2;
        if (present) {
          String value = r.nextInt(19) < 17 ? field.valid().next(r) : anyValue(r, 3);
          members.add(quote(field.name(), false) + ":" + value);
        }
      }
      int extra = r.nextInt(24);
      if (extra == 0) {
        members.add(quote(UNKNOWN_KEY.next(r), false) + ":" + anyValue(r, 2));
      } else if (extra == 1) {
        // A key given twice.
        members.add(quote(copy.get(r.nextInt(copy.size())).name(), false) + ":" + anyValue(r, 2));
      }
      if (members.size() > 1 && r.nextInt(10) == 0) {
        Collections.shuffle(members, r);
      }
      return "{" + String.join(",", members) + "}";
    };
  }

  /**
   * The bytes of {@code json}, mostly as they are, otherwise broken: cut short, with garbage after
   * the end, with bytes that are not UTF-8, with a byte order mark or a NUL, encoded as Latin-1,
   * empty, or not an object at all.
   */
  static Gen<byte[]> bytes(Gen<String> json) {
    Gen<String> mutation =
        Gen.frequency(
            List.of(
                w(30, Gen.just("none")),
                w(
                    10,
                    Gen.of(
                        "truncate",
                        "garbage",
                        "invalid-utf8",
                        "bom",
                        "nul",
                        "latin1",
                        "empty",
                        "whitespace",
                        "not-an-object",
                        "concatenated",
                        "comment",
                        "single-quotes"))));
    Gen<byte[]> invalid =
        Gen.of(
            new byte[] {(byte) 0xC3, 0x28},
            new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0xFE, (byte) 0xFF},
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            new byte[] {(byte) 0xC0, (byte) 0xAF},
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xE2, (byte) 0x82});
    Gen<String> garbage =
        Gen.of("}", "]", "x", ",", "\u0000", " {}", "\"", "garbage", "\n\n{\"a\":1}");
    return r ->
        mutate(json.next(r), mutation.next(r), r.nextDouble(), invalid.next(r), garbage.next(r));
  }

  private static byte[] mutate(
      String json, String mutation, double where, byte[] invalid, String garbage) {
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    int at = (int) (where * utf8.length);
    return switch (mutation) {
      case "truncate" -> Arrays.copyOf(utf8, at);
      case "garbage" -> concat(utf8, garbage.getBytes(StandardCharsets.UTF_8));
      case "invalid-utf8" -> splice(utf8, at, invalid);
      case "bom" -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8);
      case "nul" -> splice(utf8, at, new byte[] {0});
      case "latin1" -> json.getBytes(StandardCharsets.ISO_8859_1);
      case "empty" -> new byte[0];
      case "whitespace" -> " \r\n\t ".getBytes(StandardCharsets.UTF_8);
      case "not-an-object" ->
          List.of("[]", "\"text\"", "1", "null", "true", "[" + json + "]")
              .get(at % 6)
              .getBytes(StandardCharsets.UTF_8);
      case "concatenated" -> concat(utf8, utf8);
      case "comment" -> concat("/* c */".getBytes(StandardCharsets.UTF_8), utf8);
      case "single-quotes" -> json.replace('"', '\'').getBytes(StandardCharsets.UTF_8);
      default -> utf8;
    };
  }

  static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  private static byte[] splice(byte[] bytes, int at, byte[] inserted) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + inserted.length);
    out.write(bytes, 0, at);
    out.writeBytes(inserted);
    out.write(bytes, at, bytes.length - at);
    return out.toByteArray();
  }
}
