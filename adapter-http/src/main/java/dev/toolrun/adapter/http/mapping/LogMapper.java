package dev.toolrun.adapter.http.mapping;

import dev.toolrun.adapter.http.dto.LogPageResponse;
import dev.toolrun.adapter.http.dto.LogPageResponse.LogLineDto;
import dev.toolrun.adapter.http.dto.StreamEvents;
import dev.toolrun.ports.in.FollowInstanceLogsUseCase.LogEnd;
import dev.toolrun.ports.out.LogPage;

/** Maps a stretch of log to JSON or to plain text. */
public final class LogMapper {
  private LogMapper() {}

  public static LogPageResponse toResponse(LogPage page) {
    return new LogPageResponse(
        page.lines().stream().map(l -> new LogLineDto(l.number(), l.text())).toList(),
        page.nextLine(),
        page.droppedLines(),
        page.complete(),
        page.missing().orElse(null));
  }

  /** The data of the event that ends a followed log. */
  public static StreamEvents.LogEnd toEvent(LogEnd end) {
    return new StreamEvents.LogEnd(end.state().name(), end.complete(), end.totalLines());
  }

  /** The id of a log line's event: its number, which a client sends back as Last-Event-ID. */
  public static String eventId(long line) {
    return Long.toString(line);
  }

  /**
   * The line to resume at, after the line whose event had id {@code lastEventId}.
   *
   * @throws dev.toolrun.domain.error.ValidationException when it is not an id this API gave
   */
  public static long resumeAfter(String lastEventId) {
    try {
      long last = Long.parseLong(lastEventId.trim());
      if (last >= 0 && last < Long.MAX_VALUE) {
        return last + 1;
      }
    } catch (NumberFormatException e) {
      // Refused below, with the rule.
    }
    throw dev.toolrun.domain.error.ValidationException.of(
        "Last-Event-ID", "must be the id of a log line's event: a whole number from 0");
  }

  /**
   * The lines as text, one per line; when lines the caller asked for (from {@code from} on) were
   * dropped, a first line says how many, and when lines are missing, a first line says why.
   */
  public static String toText(LogPage page, long from) {
    StringBuilder text = new StringBuilder();
    page.missing()
        .ifPresent(
            why -> text.append("[toolrun: this log is incomplete: ").append(why).append("]\n"));
    long missed = page.droppedLines() - from;
    if (missed > 0) {
      text.append("[toolrun: ").append(missed).append(" earlier lines were dropped]\n");
    }
    page.lines().forEach(line -> text.append(line.text()).append('\n'));
    return text.toString();
  }
}
