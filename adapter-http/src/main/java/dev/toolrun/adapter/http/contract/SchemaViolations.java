package dev.toolrun.adapter.http.contract;

import dev.toolrun.domain.error.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the JSON-schema errors of the contract validator into violations with field paths in the
 * style of the domain's ({@code spec.tolerations[0].operator}) and messages a user can act on.
 *
 * <p>The validator reports a flat list in which every failing sub-schema adds a wrapper ("A
 * subschema had errors", "Property x does not match schema") before its own errors; only the
 * innermost errors say what is wrong, so the wrappers are dropped. Passed on as they are, the
 * validator's messages would name JSON pointers and schema keywords, not the fields a client sent.
 */
final class SchemaViolations {
  private static final Pattern TYPE =
      Pattern.compile("Instance type (\\S+) is invalid\\. Expected (.+)");
  private static final Pattern REQUIRED =
      Pattern.compile("Instance does not have required property \"(.*)\"");
  private static final Pattern ENUM = Pattern.compile("Instance does not match any of (.*)");
  private static final Pattern ADDITIONAL =
      Pattern.compile("Property \"(.*)\" does not match additional properties schema");
  private static final Pattern LIMIT =
      Pattern.compile(".* is (less|greater) than (?:or equal to )?(\\S+)");
  private static final String ADDITIONAL_PROPERTIES = "additionalProperties";
  private static final String FORMAT = "format";
  private static final int MAX_ERRORS = 500;
  private static final int MAX_VIOLATIONS = 100;
  private static final Pattern INDEX = Pattern.compile("0|[1-9][0-9]{0,8}");
  // The characters the validator leaves as they are in a JSON pointer segment (its
  // Pointers.encode).
  private static final String UNESCAPED =
      ":?#@!$&'()*+,;=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-._";

  private SchemaViolations() {}

  /**
   * The violations in {@code result}.
   *
   * @param prefix the field path of the validated value ({@code ""} for a body, the name of a
   *     parameter otherwise)
   * @param instance the validated value as decoded JSON, to tell array indices from object keys;
   *     {@code null} when unknown
   */
  static List<Violation> from(OutputUnit result, String prefix, Object instance) {
    List<OutputUnit> all = result.getErrors() == null ? List.of() : result.getErrors();
    // A 1 MiB body can break the schema tens of thousands of times; the first errors are enough.
    List<OutputUnit> errors = all.size() > MAX_ERRORS ? all.subList(0, MAX_ERRORS) : all;
    List<OutputUnit> leaves = new ArrayList<>();
    for (OutputUnit error : errors) {
      if (!isWrapper(error, errors)) {
        leaves.add(error);
      }
    }
    Set<Violation> found = new LinkedHashSet<>();
    for (OutputUnit leaf : leaves) {
      if (!isEcho(leaf, leaves)) {
        found.add(describe(leaf, prefix, instance));
      }
    }
    if (found.isEmpty()) {
      found.add(
          new Violation(prefix.isEmpty() ? "body" : prefix, "does not match the API contract"));
    }
    List<Violation> violations = new ArrayList<>(found);
    if (violations.size() > MAX_VIOLATIONS || all.size() > errors.size()) {
      violations =
          new ArrayList<>(violations.subList(0, Math.min(MAX_VIOLATIONS, violations.size())));
      violations.add(
          new Violation(
              prefix.isEmpty() ? "body" : prefix,
              "has more violations than are listed here; fix these first"));
    }
    return violations;
  }

  // A wrapper is an error that another, deeper error explains.
  private static boolean isWrapper(OutputUnit error, List<OutputUnit> all) {
    String keyword = nullToEmpty(error.getKeywordLocation());
    String instance = nullToEmpty(error.getInstanceLocation());
    for (OutputUnit other : all) {
      if (other == error) {
        continue;
      }
      String otherKeyword = nullToEmpty(other.getKeywordLocation());
      String otherInstance = nullToEmpty(other.getInstanceLocation());
      if (otherKeyword.startsWith(keyword + "/")
          && (otherInstance.equals(instance) || otherInstance.startsWith(instance + "/"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether an innermost error only repeats another one. The validator checks a property that
   * failed its own schema once more against {@code additionalProperties: false}, and reports a
   * value of the wrong type or range also as breaking its {@code int32} format; both echoes go.
   */
  private static boolean isEcho(OutputUnit error, List<OutputUnit> leaves) {
    String keyword = lastSegment(nullToEmpty(error.getKeywordLocation()));
    String instance = nullToEmpty(error.getInstanceLocation());
    if (!keyword.equals(ADDITIONAL_PROPERTIES) && !keyword.equals(FORMAT)) {
      return false;
    }
    for (OutputUnit other : leaves) {
      if (other == error) {
        continue;
      }
      String otherKeyword = lastSegment(nullToEmpty(other.getKeywordLocation()));
      String otherInstance = nullToEmpty(other.getInstanceLocation());
      boolean echo =
          keyword.equals(FORMAT)
              ? otherInstance.equals(instance)
                  && !otherKeyword.equals(FORMAT)
                  && !otherKeyword.equals(ADDITIONAL_PROPERTIES)
              : otherInstance.startsWith(instance + "/")
                  || (otherInstance.equals(instance)
                      && !otherKeyword.equals(ADDITIONAL_PROPERTIES));
      if (echo) {
        return true;
      }
    }
    return false;
  }

  private static Violation describe(OutputUnit error, String prefix, Object instance) {
    String parent = fieldPath(prefix, nullToEmpty(error.getInstanceLocation()), instance);
    // The body as a whole has no path; it is called what the client sent.
    String field = parent.isEmpty() ? "body" : parent;
    String message = nullToEmpty(error.getError());
    String keyword = lastSegment(nullToEmpty(error.getKeywordLocation()));
    Matcher m;
    switch (keyword) {
      case "required":
        m = REQUIRED.matcher(message);
        if (m.matches()) {
          return new Violation(join(parent, m.group(1)), "is required");
        }
        break;
      case ADDITIONAL_PROPERTIES:
        m = ADDITIONAL.matcher(message);
        if (m.matches()) {
          return new Violation(field, "is not a known field");
        }
        break;
      case "type":
        m = TYPE.matcher(message);
        if (m.matches()) {
          return new Violation(
              field, "must be %s, not %s".formatted(article(m.group(2)), article(m.group(1))));
        }
        break;
      case "enum":
        m = ENUM.matcher(message);
        if (m.matches()) {
          return new Violation(field, "must be one of " + m.group(1));
        }
        break;
      case FORMAT:
        if (message.contains("int32")) {
          return new Violation(
              field,
              "must be an integer from -2147483648 to 2147483647, without a fraction or exponent");
        }
        if (message.contains("int64")) {
          return new Violation(
              field,
              "must be an integer from -9223372036854775808 to 9223372036854775807, without a"
                  + " fraction or exponent");
        }
        break;
      case "minimum":
      case "maximum":
        m = LIMIT.matcher(message);
        if (m.matches()) {
          return new Violation(
              field,
              (m.group(1).equals("less") ? "must be at least " : "must be at most ") + m.group(2));
        }
        break;
      default:
        break;
    }
    return new Violation(field, message.isEmpty() ? "is invalid" : message);
  }

  private static String article(String jsonType) {
    String type = jsonType.toLowerCase(Locale.ROOT);
    if (type.isEmpty() || type.equals("null")) {
      return "null";
    }
    return ("aeiou".indexOf(type.charAt(0)) >= 0 ? "an " : "a ") + type;
  }

  /**
   * Converts a JSON pointer such as {@code #/spec/tolerations/0/operator} into {@code
   * spec.tolerations[0].operator}, walking {@code instance} to know which segments are indices.
   */
  static String fieldPath(String prefix, String pointer, Object instance) {
    String path = pointer.startsWith("#") ? pointer.substring(1) : pointer;
    StringBuilder field = new StringBuilder(prefix);
    Object node = instance;
    if (path.isEmpty()) {
      return field.toString();
    }
    for (String segment : path.substring(path.startsWith("/") ? 1 : 0).split("/", -1)) {
      boolean index =
          INDEX.matcher(segment).matches() && (node instanceof JsonArray || node == null);
      if (index) {
        int i = Integer.parseInt(segment);
        field.append('[').append(i).append(']');
        node = node instanceof JsonArray array && i < array.size() ? array.getValue(i) : null;
      } else {
        String key = key(node, segment);
        if (field.length() > 0) {
          field.append('.');
        }
        field.append(key);
        node = node instanceof JsonObject object ? object.getValue(key) : null;
      }
    }
    return field.toString();
  }

  // The object key that the validator encoded as segment; its encoding loses information, so the
  // key is looked up in the instance when there is one.
  private static String key(Object node, String segment) {
    if (node instanceof JsonObject object) {
      for (String name : object.fieldNames()) {
        if (encode(name).equals(segment)) {
          return name;
        }
      }
    }
    return segment.replace("~1", "/").replace("~0", "~");
  }

  private static String encode(String key) {
    StringBuilder encoded = new StringBuilder(key.length());
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      if (UNESCAPED.indexOf(b) >= 0) {
        encoded.append((char) b);
      } else if (b == '~') {
        encoded.append("~0");
      } else if (b == '/') {
        encoded.append("~1");
      } else {
        // Same as the validator, including its single hex digit for bytes below 0x10.
        encoded
            .append('%')
            .append(Integer.toHexString(Byte.toUnsignedInt(b)).toUpperCase(Locale.ROOT));
      }
    }
    return encoded.toString();
  }

  private static String join(String field, String child) {
    return field.isEmpty() ? child : field + "." + child;
  }

  private static String lastSegment(String location) {
    return location.substring(location.lastIndexOf('/') + 1);
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
