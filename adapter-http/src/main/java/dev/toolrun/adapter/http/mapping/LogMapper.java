package dev.toolrun.adapter.http.mapping;

import dev.toolrun.adapter.http.dto.LogPageResponse;
import dev.toolrun.adapter.http.dto.LogPageResponse.LogLineDto;
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
