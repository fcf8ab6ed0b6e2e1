package dev.toolrun.adapter.http.dto;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * An instance and everything known about its run.
 *
 * @param parameters the parameters' canonical JSON text, written as it is: it is held as text
 * @param secretRef the Secret its secret inputs come from, when they were given by reference
 * @param resultViolations with a result: how it breaks its tool's output schema, each field a JSON
 *     pointer into {@code result} ({@code ""} for the result as a whole); empty when it matches or
 *     the tool declares no output schema. Absent without a result.
 * @param log whether its log is all there
 * @param start {@code WARM} or {@code COLD}: whether its workload took a warm pool pod or was
 *     created for it; absent until the runtime started it
 */
public record InstanceResponse(
    String id,
    String tool,
    int toolVersion,
    String mode,
    String state,
    @JsonRawValue String parameters,
    List<String> secretNames,
    LaunchRequest.SecretRef secretRef,
    Instant createdAt,
    Instant updatedAt,
    List<StateChangeDto> history,
    FailureDto failure,
    Integer exitCode,
    JsonNode result,
    Integer queuePosition,
    HealthDto health,
    int restarts,
    List<ErrorResponse.ErrorDetail> resultViolations,
    LogStatusDto log,
    String start) {

  /**
   * Whether an instance's log is all there: {@code OPEN} while it may grow, then {@code COMPLETE}
   * or {@code INCOMPLETE} (with why lines are missing).
   */
  public record LogStatusDto(String state, long lines, long droppedLines, String missing) {}

  /** A state entered at a time. */
  public record StateChangeDto(String state, Instant at) {}

  /**
   * Why an instance ended without success: its kind and message, plus the fields of that kind (the
   * others are null and left out).
   */
  public record FailureDto(
      String kind,
      String message,
      Integer exitCode,
      String image,
      String detail,
      Long timeoutSeconds,
      Integer lastExitCode,
      List<String> lastLogLines,
      Integer failures,
      String lastError) {}

  /** The health checks of a service instance so far. */
  public record HealthDto(
      Instant lastCheckAt, Instant lastHealthyAt, String lastError, int consecutiveFailures) {}
}
