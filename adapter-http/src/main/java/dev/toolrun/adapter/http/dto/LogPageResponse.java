package dev.toolrun.adapter.http.dto;

import java.util.List;

/**
 * A stretch of an instance's log.
 *
 * @param missing why lines the workload wrote are missing from the log, or may be; absent when none
 *     is
 */
public record LogPageResponse(
    List<LogLineDto> lines, long nextFrom, long droppedLines, boolean complete, String missing) {

  /** One line and its number in the whole log. */
  public record LogLineDto(long n, String text) {}
}
