package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where the stored output of each pod of a run ends, kept with the lines in the log store (its
 * mark), so that a toolrun that restarts asks each pod's log from there: {@code sinceTime} is the
 * last stored line's timestamp, and the lines the pod wrote at that same instant that are stored
 * already are skipped. Written {@code pod timestamp count} per pod, separated by {@code ;}.
 */
final class OutputMark {
  private final Map<String, Position> positions = new TreeMap<>();

  /** Where a pod's stored output ends: its last line's timestamp and how many lines carried it. */
  record Position(Instant timestamp, int linesAtTimestamp) {
    Position {
      requireNonNull(timestamp, "timestamp is null");
    }
  }

  /** The mark {@code text} says; an unreadable one (of another version) is no mark. */
  static OutputMark parse(String text) {
    OutputMark mark = new OutputMark();
    for (String entry : text.split(";")) {
      String[] cells = entry.strip().split(" ");
      if (cells.length != 3) {
        continue;
      }
      try {
        mark.positions.put(
            cells[0], new Position(Instant.parse(cells[1]), Integer.parseInt(cells[2])));
      } catch (DateTimeParseException | NumberFormatException unreadable) {
        // Resuming that pod from its start is safer than from a guess.
      }
    }
    return mark;
  }

  synchronized Optional<Position> of(String pod) {
    return Optional.ofNullable(positions.get(pod));
  }

  synchronized void put(String pod, Position position) {
    positions.put(pod, position);
  }

  @Override
  public synchronized String toString() {
    StringBuilder text = new StringBuilder();
    positions.forEach(
        (pod, p) -> {
          if (text.length() > 0) {
            text.append(';');
          }
          text.append(pod)
              .append(' ')
              .append(p.timestamp())
              .append(' ')
              .append(p.linesAtTimestamp());
        });
    return text.toString();
  }
}
