package dev.toolrun.domain.instance;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ValidationException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * An instance's id: a lower-case UUID of version 7, so ids sort by creation time (which makes them
 * good cursors) and fit in Kubernetes names and labels.
 */
public record InstanceId(String value) implements Comparable<InstanceId> {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public InstanceId {
    requireNonNull(value, "value is null");
    if (!UUID.matcher(value).matches()) {
      throw ValidationException.of(
          "id", "'%s' is not an instance id (a lower-case UUID)".formatted(abbreviate(value)));
    }
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }

  /** A new id for an instance created at {@code now}, following RFC 9562's UUIDv7 layout. */
  public static InstanceId generate(Instant now, RandomGenerator random) {
    byte[] bytes = new byte[16];
    long millis = now.toEpochMilli();
    for (int i = 0; i < 6; i++) {
      bytes[i] = (byte) (millis >>> (40 - 8 * i));
    }
    long randA = random.nextLong();
    long randB = random.nextLong();
    for (int i = 6; i < 16; i++) {
      long source = i < 8 ? randA : randB;
      bytes[i] = (byte) (source >>> (8 * (i % 8)));
    }
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x70); // version 7
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
    String hex = HexFormat.of().formatHex(bytes);
    return new InstanceId(
        hex.substring(0, 8)
            + "-"
            + hex.substring(8, 12)
            + "-"
            + hex.substring(12, 16)
            + "-"
            + hex.substring(16, 20)
            + "-"
            + hex.substring(20));
  }

  @Override
  public int compareTo(InstanceId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
