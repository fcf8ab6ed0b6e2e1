package dev.toolrun.adapter.http.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * @param problems why toolrun is not ready; left out when it is
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record HealthResponse(String status, List<String> problems) {
  public static final HealthResponse UP = new HealthResponse("UP", List.of());

  public HealthResponse {
    problems = List.copyOf(problems);
  }

  public static HealthResponse down(List<String> problems) {
    return new HealthResponse("DOWN", problems);
  }
}
