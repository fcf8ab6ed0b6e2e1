package dev.toolrun.adapter.k8s.runrequest;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ErrorCode;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.json.JsonText;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Why a ToolRun written by hand is not launched, as its status says it: {@code Accepted=False} with
 * a reason and a message, and {@code state: FAILED} when the refusal is final (the same ToolRun
 * would be refused again). The reasons are the REST API's error codes, plus {@value #REPLAYED}.
 */
record Refusal(String reason, String message) {
  static final String INVALID = ErrorCode.VALIDATION_FAILED.name();
  static final String CONFLICT = ErrorCode.CONFLICT.name();

  /** Its idempotency key launched an instance already, for the same request. */
  static final String REPLAYED = "REPLAYED";

  // Refused for what the ToolRun says, not for how things are now: asking again changes nothing.
  private static final Set<String> FINAL = Set.of(INVALID, CONFLICT, REPLAYED);

  Refusal {
    requireNonNull(reason, "reason is null");
    requireNonNull(message, "message is null");
  }

  static Refusal of(String reason, String message) {
    return new Refusal(reason, message == null ? reason : message);
  }

  /** Every violation, one per line: {@code field: message}. */
  static Refusal invalid(ValidationException e) {
    return new Refusal(
        INVALID, e.violations().stream().map(Refusal::describe).collect(Collectors.joining("\n")));
  }

  private static String describe(Violation v) {
    return v.field().isEmpty() ? v.message() : v.field() + ": " + v.message();
  }

  static boolean isFinal(String reason) {
    return FINAL.contains(reason);
  }

  /**
   * The JSON merge patch of the status subresource that says so, refused if the ToolRun changed
   * since {@code resourceVersion} (it may have been adopted meanwhile).
   */
  String statusPatch(String resourceVersion, Instant now) {
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("type", RunRequests.ACCEPTED);
    condition.put("status", "False");
    condition.put("reason", reason);
    condition.put("message", message);
    condition.put("lastTransitionTime", now.toString());
    Map<String, Object> status = new LinkedHashMap<>();
    if (isFinal(reason) && !reason.equals(REPLAYED)) {
      status.put("state", "FAILED");
    }
    status.put("conditions", List.of(condition));
    return JsonText.write(
        Map.of("metadata", Map.of("resourceVersion", resourceVersion), "status", status));
  }
}
