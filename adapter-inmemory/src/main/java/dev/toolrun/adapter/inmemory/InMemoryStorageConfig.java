package dev.toolrun.adapter.inmemory;

/**
 * How much the in-memory storage keeps.
 *
 * @param maxLogLinesPerInstance lines of each instance's log kept; older ones are dropped and
 *     counted
 * @param maxLogLineLength characters of a log line kept; the rest is cut and a marker says how much
 */
public record InMemoryStorageConfig(int maxLogLinesPerInstance, int maxLogLineLength) {
  /** 10,000 lines per instance, 8,192 characters per line. */
  public static final InMemoryStorageConfig DEFAULT =
      new InMemoryStorageConfig(
          InMemoryLogStore.DEFAULT_MAX_LINES_PER_INSTANCE,
          InMemoryLogStore.DEFAULT_MAX_LINE_LENGTH);

  public InMemoryStorageConfig {
    if (maxLogLinesPerInstance < 1) {
      throw new IllegalArgumentException(
          "maxLogLinesPerInstance must be positive, was " + maxLogLinesPerInstance);
    }
    if (maxLogLineLength < 1) {
      throw new IllegalArgumentException(
          "maxLogLineLength must be positive, was " + maxLogLineLength);
    }
  }
}
