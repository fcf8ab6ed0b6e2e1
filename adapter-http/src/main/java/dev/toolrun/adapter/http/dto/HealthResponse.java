package dev.toolrun.adapter.http.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * @param problems why toolrun is not ready; left out when it is
 * @param warnings what limits it while it stays ready (the records' memory budget); left out when
 *     nothing does
 * @param role {@code leader} or {@code standby} for one of several replicas; left out for the sole
 *     toolrun and for one shutting down
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HealthResponse(
    String status, List<String> problems, List<String> warnings, String role) {
  public static final HealthResponse UP = new HealthResponse("UP", List.of(), List.of(), null);

  public HealthResponse {
    problems = List.copyOf(problems);
    warnings = List.copyOf(warnings);
  }

  public static HealthResponse up(List<String> warnings, String role) {
    return new HealthResponse("UP", List.of(), warnings, role);
  }

  public static HealthResponse down(List<String> problems, List<String> warnings, String role) {
    return new HealthResponse("DOWN", problems, warnings, role);
  }
}
