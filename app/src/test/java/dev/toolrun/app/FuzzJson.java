package dev.toolrun.app;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

/**
 * Generators of JSON text for the HTTP fuzz test: values of every type, numbers at the edges of
 * what parsers represent, text that is hard on every layer (unicode, control characters, lone
 * surrogates), objects shaped like the API's bodies with fields left out, mistyped or added, and
 * bodies broken at the byte level.
 *
 * <p>Everything is text, not a tree, so that raw number tokens ({@code 1e400}, {@code -0}), duplicate
 * keys and escapes the JDK cannot encode ({@code \ud800}) reach the server exactly as written.
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

  /** A weighted alternative, to keep the frequency tables readable. */
  static <T> Tuple2<Integer, Arbitrary<T>> w(int weight, Arbitrary<T> arbitrary) {
    return Tuple.of(weight, arbitrary);
  }

  /** Unicode-heavy text: the nasty list, random text of any code unit, or a mix of both. */
  static Arbitrary<String> text() {
    return Arbitraries.frequencyOf(
        List.of(
            w(5, Arbitraries.strings().alpha().numeric().ofMaxLength(12)),
            w(4, Arbitraries.of(NASTY_TEXT)),
            w(2, Arbitraries.strings().all().ofMaxLength(16)),
            w(
                2,
                Combinators.combine(
                        Arbitraries.of(NASTY_TEXT),
                        Arbitraries.strings().withCharRange('\u0000', '\u00ff').ofMaxLength(8))
                    .as((a, b) -> a + b))));
  }

  /** Text of 1 to 2000 characters, rarely much more. */
  static Arbitrary<String> longText() {
    return Arbitraries.frequencyOf(
        List.of(
            w(8, text()),
            w(3, Arbitraries.strings().ascii().ofMinLength(100).ofMaxLength(2000)),
            w(
                1,
                Arbitraries.of(10_000, 100_000)
                    .map(n -> "x".repeat(n - 1) + "\u00e9"))));
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
          boolean lone =
              Character.isSurrogate(c)
                  && !(Character.isHighSurrogate(c)
                          && i + 1 < value.length()
                          && Character.isLowSurrogate(value.charAt(i + 1))
                      || Character.isLowSurrogate(c)
                          && i > 0
                          && Character.isHighSurrogate(value.charAt(i - 1)));
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
  static Arbitrary<String> string(Arbitrary<String> content) {
    return Combinators.combine(content, Arbitraries.of(false, false, true)).as(FuzzJson::quote);
  }

  /** A JSON string literal with one of {@code values} as it is, or (rarely) something else. */
  static Arbitrary<String> stringOf(String... values) {
    return Arbitraries.frequencyOf(
        List.of(w(6, Arbitraries.of(values).map(v -> quote(v, false))), w(1, string(text()))));
  }

  /** A number token, from the edge list or in the ordinary range. */
  static Arbitrary<String> number() {
    return Arbitraries.frequencyOf(
        List.of(
            w(3, Arbitraries.of(EDGE_NUMBERS)),
            w(2, Arbitraries.integers().between(-5, 100).map(String::valueOf)),
            w(1, Arbitraries.longs().map(String::valueOf)),
            w(1, Arbitraries.doubles().map(String::valueOf).filter(s -> !s.contains("N") && !s.contains("I")))));
  }

  /** An integer field: mostly small and valid, often at or beyond the edges, rarely a non-integer. */
  static Arbitrary<String> integer(int min, int max) {
    return Arbitraries.frequencyOf(
        List.of(
            w(6, Arbitraries.integers().between(min, max).map(String::valueOf)),
            w(3, Arbitraries.of(EDGE_NUMBERS)),
            w(1, Arbitraries.of("\"1\"", "true", "null", "[1]", "{}", "1.5", "1.0", "-0"))));
  }

  /** A boolean field, sometimes of another type that looks like one. */
  static Arbitrary<String> bool() {
    return Arbitraries.frequencyOf(
        List.of(
            w(8, Arbitraries.of("true", "false")),
            w(1, Arbitraries.of("\"true\"", "1", "0", "null", "TRUE", "[true]"))));
  }

  /**
   * Any JSON value: scalars of every type, and arrays and objects nested a few levels, keys
   * included.
   */
  static Arbitrary<String> anyValue() {
    return Arbitraries.recursive(FuzzJson::scalar, FuzzJson::containerOf, 0, 3);
  }

  private static Arbitrary<String> scalar() {
    return Arbitraries.frequencyOf(
        List.of(
            w(3, string(text())),
            w(3, number()),
            w(1, Arbitraries.of("true", "false", "null"))));
  }

  private static Arbitrary<String> containerOf(Arbitrary<String> element) {
    Arbitrary<String> array =
        element.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
    Arbitrary<String> object =
        Combinators.combine(string(text()), element)
            .as((k, v) -> k + ":" + v)
            .list()
            .ofMaxSize(4)
            .map(members -> "{" + String.join(",", members) + "}");
    return Arbitraries.oneOf(List.of(array, object));
  }

  /** Arrays or objects nested 10 to 10,000 deep, around the limits of common JSON parsers. */
  static Arbitrary<String> deep() {
    return Combinators.combine(
            Arbitraries.of(10, 64, 100, 255, 256, 499, 500, 501, 999, 1000, 1001, 2000, 5000, 10_000),
            Arbitraries.of("array", "object", "mixed", "unclosed"))
        .as(FuzzJson::nested);
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
  static Arbitrary<String> list(Arbitrary<String> item, int maxSize) {
    return item.list().ofMaxSize(maxSize).map(items -> "[" + String.join(",", items) + "]");
  }

  /** An object of string values under {@code key}s. */
  static Arbitrary<String> map(Arbitrary<String> key, Arbitrary<String> value, int maxSize) {
    return Combinators.combine(string(key), value)
        .as((k, v) -> k + ":" + v)
        .list()
        .ofMaxSize(maxSize)
        .map(members -> "{" + String.join(",", members) + "}");
  }

  /**
   * A field of an object shape.
   *
   * @param valid values that follow the contract (or nearly: they may still break a domain rule)
   */
  record Field(String name, boolean required, Arbitrary<String> valid) {}

  static Field required(String name, Arbitrary<String> valid) {
    return new Field(name, true, valid);
  }

  static Field optional(String name, Arbitrary<String> valid) {
    return new Field(name, false, valid);
  }

  /**
   * An object with the {@code fields} of a body's shape: required fields are usually there and
   * optional ones sometimes; a value is now and then of any type; and now and then an unknown field
   * is added or a key is repeated.
   */
  static Arbitrary<String> object(List<Field> fields) {
    List<Arbitrary<Optional<String>>> members = new ArrayList<>();
    for (Field field : fields) {
      Arbitrary<String> value =
          Arbitraries.frequencyOf(List.of(w(17, field.valid()), w(2, anyValue())));
      Arbitrary<String> member = value.map(v -> quote(field.name(), false) + ":" + v);
      members.add(
          Arbitraries.frequencyOf(
              List.of(
                  w(field.required() ? 24 : 8, member.map(Optional::of)),
                  w(field.required() ? 1 : 10, Arbitraries.just(Optional.<String>empty())))));
    }
    Arbitrary<Optional<String>> extra =
        Arbitraries.frequencyOf(
            List.of(
                w(22, Arbitraries.just(Optional.<String>empty())),
                w(
                    1,
                    Combinators.combine(
                            Arbitraries.frequencyOf(
                                List.of(
                                    w(
                                        3,
                                        Arbitraries.of(
                                            "unknownField",
                                            "__proto__",
                                            "constructor",
                                            "",
                                            "Spec",
                                            "MODE",
                                            "spec ",
                                            "$ref",
                                            "😀")),
                                    w(1, text()))),
                            anyValue())
                        .as((k, v) -> Optional.of(quote(k, false) + ":" + v))),
                w(
                    1,
                    Combinators.combine(Arbitraries.of(fields), anyValue())
                        .as((f, v) -> Optional.of(quote(f.name(), false) + ":" + v)))));
    return Combinators.combine(members)
        .as(present -> present)
        .flatMap(
            present ->
                extra.map(
                    more -> {
                      List<String> all = new ArrayList<>();
                      present.forEach(m -> m.ifPresent(all::add));
                      more.ifPresent(all::add);
                      return "{" + String.join(",", all) + "}";
                    }));
  }

  /**
   * The bytes of {@code json}, mostly as they are, otherwise broken: cut short, with garbage after
   * the end, with bytes that are not UTF-8, with a byte order mark or a NUL, encoded as Latin-1,
   * empty, or not an object at all.
   */
  static Arbitrary<byte[]> bytes(Arbitrary<String> json) {
    Arbitrary<String> mutation =
        Arbitraries.frequencyOf(
            List.of(
                w(30, Arbitraries.just("none")),
                w(
                    10,
                    Arbitraries.of(
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
    return Combinators.combine(
            json,
            mutation,
            Arbitraries.doubles().between(0, 1),
            Arbitraries.of(
                new byte[] {(byte) 0xC3, 0x28},
                new byte[] {(byte) 0xFF},
                new byte[] {(byte) 0xFE, (byte) 0xFF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
                new byte[] {(byte) 0xE2, (byte) 0x82}),
            Arbitraries.of("}", "]", "x", ",", "\u0000", " {}", "\"", "garbage", "\n\n{\"a\":1}"))
        .as(FuzzJson::mutate);
  }

  private static byte[] mutate(
      String json, String mutation, double where, byte[] invalid, String garbage) {
    byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
    int at = (int) (where * utf8.length);
    return switch (mutation) {
      case "truncate" -> java.util.Arrays.copyOf(utf8, at);
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
