package dev.toolrun.adapter.http.dto;

import java.util.List;

/** A stretch of an instance's log. */
public record LogPageResponse(
    List<LogLineDto> lines, long nextFrom, long droppedLines, boolean complete) {

  /** One line and its number in the whole log. */
  public record LogLineDto(long n, String text) {}
}
