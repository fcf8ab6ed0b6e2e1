package dev.toolrun.ports.out;

import dev.toolrun.domain.instance.InstanceId;
import java.util.List;
import java.util.Optional;

/**
 * Keeps what instances write to their output, so that it stays readable after the workload is gone.
 * Each log is bounded: past the bound the oldest lines are dropped and counted, and overlong lines
 * are cut with a marker. Implementations are thread-safe.
 */
public interface LogStore {

  /** Adds lines, in order, to the end of the log of {@code id}. */
  void append(InstanceId id, List<String> lines);

  /**
   * Adds lines, in order, to the end of the log of {@code id} and, in the same write, {@code mark}:
   * where these lines end in their source, which {@link #mark} answers from then on, also after a
   * restart (a durable store keeps the lines and the mark together, so that a crash keeps both or
   * says how many lines it kept past the mark).
   */
  void append(InstanceId id, List<String> lines, String mark);

  /** The last mark appended to the log of {@code id}; empty when none was. */
  Optional<LogMark> mark(InstanceId id);

  /**
   * Records that lines the source of {@code id}'s log wrote are missing from it, or may be, and
   * why; every page read from then on says so in {@link LogPage#missing()}. The first reason is
   * kept.
   */
  void reportGap(InstanceId id, String reason);

  /**
   * Up to {@code limit} lines of the log of {@code id}, starting at line {@code fromLine}; its
   * {@link LogPage#nextLine()} never lies past the end of the log, so reading from {@code fromLine}
   * beyond the lines written so far answers no lines and the number the next line written will
   * have.
   */
  LogPage read(InstanceId id, long fromLine, int limit);

  /** The last {@code lines} lines of the log of {@code id} (fewer if the log is shorter). */
  LogPage tail(InstanceId id, int lines);

  /**
   * Records that the log of {@code id} will not grow any more; later appends, marks and gaps are
   * ignored.
   */
  void complete(InstanceId id);

  /** Forgets the log of {@code id}. */
  void delete(InstanceId id);
}
