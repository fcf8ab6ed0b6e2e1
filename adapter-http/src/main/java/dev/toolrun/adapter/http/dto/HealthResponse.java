package dev.toolrun.adapter.http.dto;

/** The answer of the health endpoints. */
public record HealthResponse(String status) {
  public static final HealthResponse UP = new HealthResponse("UP");
}
