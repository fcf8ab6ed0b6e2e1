package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.LogLines;
import dev.toolrun.ports.out.LogMark;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogPage.LogLine;
import dev.toolrun.ports.out.LogStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link LogStore} that keeps the latest {@code maxLinesPerInstance} lines of each instance's log
 * in memory, each cut to {@code maxLineLength} characters plus a marker that says how much was cut.
 */
public final class InMemoryLogStore implements LogStore {
  /** Lines kept per instance by {@link #InMemoryLogStore()}. */
  public static final int DEFAULT_MAX_LINES_PER_INSTANCE = 10_000;

  /** Characters kept per line by {@link #InMemoryLogStore()}. */
  public static final int DEFAULT_MAX_LINE_LENGTH = 8_192;

  private final int maxLinesPerInstance;
  private final int maxLineLength;
  private final Map<InstanceId, Log> logs = new ConcurrentHashMap<>();

  /** A store with the default bounds: 10,000 lines per instance, 8,192 characters per line. */
  public InMemoryLogStore() {
    this(DEFAULT_MAX_LINES_PER_INSTANCE, DEFAULT_MAX_LINE_LENGTH);
  }

  /**
   * A store that keeps at most {@code maxLinesPerInstance} lines of {@code maxLineLength}
   * characters per log.
   */
  public InMemoryLogStore(int maxLinesPerInstance, int maxLineLength) {
    if (maxLinesPerInstance < 1) {
      throw new IllegalArgumentException(
          "maxLinesPerInstance must be positive, was " + maxLinesPerInstance);
    }
    if (maxLineLength < 1) {
      throw new IllegalArgumentException("maxLineLength must be positive, was " + maxLineLength);
    }
    this.maxLinesPerInstance = maxLinesPerInstance;
    this.maxLineLength = maxLineLength;
  }

  @Override
  public void append(InstanceId id, List<String> lines) {
    requireNonNull(id, "id is null");
    logs.computeIfAbsent(id, unused -> new Log(maxLinesPerInstance))
        .append(LogLines.fitted(lines, maxLineLength), null);
  }

  @Override
  public void append(InstanceId id, List<String> lines, String mark) {
    requireNonNull(id, "id is null");
    requireNonNull(mark, "mark is null");
    logs.computeIfAbsent(id, unused -> new Log(maxLinesPerInstance))
        .append(LogLines.fitted(lines, maxLineLength), mark);
  }

  @Override
  public Optional<LogMark> mark(InstanceId id) {
    requireNonNull(id, "id is null");
    Log log = logs.get(id);
    return log == null ? Optional.empty() : log.mark();
  }

  @Override
  public void reportGap(InstanceId id, String reason) {
    requireNonNull(id, "id is null");
    requireNonNull(reason, "reason is null");
    logs.computeIfAbsent(id, unused -> new Log(maxLinesPerInstance)).reportGap(reason);
  }

  @Override
  public LogPage read(InstanceId id, long fromLine, int limit) {
    requireNonNull(id, "id is null");
    LogLines.checkRead(fromLine, limit);
    Log log = logs.get(id);
    if (log == null) {
      // Nothing written yet: the first line to come is line 0, whatever was asked for.
      return new LogPage(List.of(), 0, 0, false);
    }
    return log.read(fromLine, limit);
  }

  @Override
  public LogPage tail(InstanceId id, int lines) {
    requireNonNull(id, "id is null");
    if (lines < 1) {
      throw new IllegalArgumentException("lines must be positive, was " + lines);
    }
    Log log = logs.get(id);
    return log == null ? new LogPage(List.of(), 0, 0, false) : log.tail(lines);
  }

  @Override
  public void complete(InstanceId id) {
    requireNonNull(id, "id is null");
    logs.computeIfAbsent(id, unused -> new Log(maxLinesPerInstance)).complete();
  }

  @Override
  public void delete(InstanceId id) {
    requireNonNull(id, "id is null");
    logs.remove(id);
  }

  /** One instance's log: a ring of its latest lines, numbered from the first line ever written. */
  private static final class Log {
    private static final int INITIAL_CAPACITY = 64;

    private final int maxLines;
    // The ring grows up to maxLines, so a short log does not hold a full-size array.
    private String[] ring;
    private int head;
    private int size;
    private long dropped;
    private boolean complete;
    private String mark;
    private long linesAfterMark;
    private Optional<String> missing = Optional.empty();

    Log(int maxLines) {
      this.maxLines = maxLines;
      this.ring = new String[Math.min(INITIAL_CAPACITY, maxLines)];
    }

    synchronized void append(List<String> lines, String newMark) {
      if (complete) {
        return;
      }
      if (newMark != null) {
        mark = newMark;
        linesAfterMark = 0;
      } else {
        linesAfterMark += lines.size();
      }
      for (String line : lines) {
        if (size == maxLines) {
          ring[head] = line;
          head = (head + 1) % ring.length;
          dropped++;
          continue;
        }
        if (size == ring.length) {
          grow();
        }
        ring[(head + size) % ring.length] = line;
        size++;
      }
    }

    private void grow() {
      String[] larger = new String[(int) Math.min((long) ring.length * 2, maxLines)];
      for (int i = 0; i < size; i++) {
        larger[i] = ring[(head + i) % ring.length];
      }
      ring = larger;
      head = 0;
    }

    synchronized LogPage read(long fromLine, int limit) {
      long end = dropped + size;
      // Below the kept lines, reading starts at the oldest kept; past the end, at the end, so that
      // a client that asked too far ahead is not told to skip the lines still to come.
      long first = Math.min(Math.max(fromLine, dropped), end);
      List<LogLine> lines = new ArrayList<>();
      for (long number = first; number < end && lines.size() < limit; number++) {
        lines.add(new LogLine(number, ring[(int) ((head + (number - dropped)) % ring.length)]));
      }
      return new LogPage(lines, first + lines.size(), dropped, complete, missing);
    }

    synchronized LogPage tail(int lines) {
      return read(Math.max(dropped, dropped + size - lines), lines);
    }

    synchronized void complete() {
      complete = true;
    }

    synchronized Optional<LogMark> mark() {
      return mark == null ? Optional.empty() : Optional.of(new LogMark(mark, linesAfterMark));
    }

    synchronized void reportGap(String reason) {
      if (missing.isEmpty() && !complete) {
        missing = Optional.of(reason);
      }
    }
  }
}
