package dev.toolrun.adapter.http.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * @param problems why toolrun is not ready; left out when it is
 * @param warnings what limits it while it stays ready (the records' memory budget); left out when
 *     nothing does
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HealthResponse(String status, List<String> problems, List<String> warnings) {
  public static final HealthResponse UP = new HealthResponse("UP", List.of(), List.of());

  public HealthResponse {
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
  }

  public static HealthResponse up(List<String> warnings) {
    return new HealthResponse("UP", List.of(), warnings);
  }

  public static HealthResponse down(List<String> problems, List<String> warnings) {
    return new HealthResponse("DOWN", problems, warnings);
  }
}
