package dev.toolrun.adapter.logfile;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Where and how much the file log store keeps.
 *
 * @param directory where the logs are, one file per instance (created if missing)
 * @param maxBytesPerInstance bytes of each instance's log kept on disk; past them the oldest lines
 *     are dropped and counted
 * @param maxLineLength characters of a log line kept; the rest is cut and a marker says how much
 * @param fsyncInterval how often what was written is forced to the disk while a log grows ({@code
 *     0}: at every append); every append reaches the operating system at once, so only a crash of
 *     the machine, not of toolrun, can lose what came in since the last sync
 */
public record FileLogStoreConfig(
    Path directory, long maxBytesPerInstance, int maxLineLength, Duration fsyncInterval) {
  public FileLogStoreConfig {
    requireNonNull(directory, "directory is null");
    requireNonNull(fsyncInterval, "fsyncInterval is null");
    if (maxBytesPerInstance < 1) {
      throw new IllegalArgumentException(
          "maxBytesPerInstance must be positive, was " + maxBytesPerInstance);
    }
    if (maxLineLength < 1) {
      throw new IllegalArgumentException("maxLineLength must be positive, was " + maxLineLength);
    }
    if (fsyncInterval.isNegative()) {
      throw new IllegalArgumentException("fsyncInterval must not be negative");
    }
  }
}
