package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import java.util.regex.Pattern;

/**
 * A tool's name: a DNS-1123 label (lower-case alphanumerics and '-', starting and ending with an
 * alphanumeric, at most 63 characters), because it ends up in Kubernetes labels and names.
 */
public record ToolName(String value) implements Comparable<ToolName> {
  public static final int MAX_LENGTH = 63;
  private static final Pattern DNS_1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  public ToolName {
    requireNonNull(value, "value is null");
    if (value.isEmpty()
        || value.length() > MAX_LENGTH
        || !DNS_1123_LABEL.matcher(value).matches()) {
      throw ValidationException.of(
          "",
          "'%s' is not a valid tool name: use 1 to %d lower-case letters, digits and '-',"
                  .formatted(abbreviate(value), MAX_LENGTH)
              + " starting and ending with a letter or digit");
    }
  }

  static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }

  @Override
  public int compareTo(ToolName other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
