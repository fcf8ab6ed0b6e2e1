package dev.toolrun.adapter.k8s.catalog;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violation;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What the door answers a registration request, on the request's status. */
sealed interface RequestAnswer {

  /**
   * The request's status after this answer, for generation {@code generation}: a JSON merge patch
   * of the status subresource, so every field the other answer writes is set or cleared here.
   */
  Map<String, Object> status(long generation, Instant at);

  /**
   * The request is registered: as version {@code version}, new unless the spec was unchanged.
   *
   * @param created whether this request made the version (false: the spec was the latest's)
   */
  record Registered(String tool, int version, boolean created) implements RequestAnswer {
    public Registered {
      requireNonNull(tool, "tool is null");
    }

    @Override
    public Map<String, Object> status(long generation, Instant at) {
      String message =
          created
              ? "registered as version %d of tool %s".formatted(version, tool)
              : "unchanged: version %d of tool %s has this spec".formatted(version, tool);
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("observedGeneration", generation);
      status.put("version", version);
      status.put("conditions", List.of(ready("True", "Registered", message, at)));
      // Empty rather than null: toolrun's JSON leaves nulls out, and a merge patch needs a value
      // to replace the violations an earlier, invalid generation listed.
      status.put("violations", List.of());
      return Map.of("status", status);
    }
  }

  /** The request breaks the rules a registration checks; no version was written. */
  record Invalid(List<Violation> violations) implements RequestAnswer {
    public Invalid {
      violations = List.copyOf(violations);
    }

    @Override
    public Map<String, Object> status(long generation, Instant at) {
      String message =
          "not registered: "
              + violations.stream().map(Violation::toString).collect(Collectors.joining("; "));
      Map<String, Object> status = new LinkedHashMap<>();
      status.put("observedGeneration", generation);
      // The version a valid earlier generation registered stays: it is still the tool's.
      status.put("conditions", List.of(ready("False", "Invalid", message, at)));
      status.put(
          "violations",
          violations.stream()
              .map(v -> Map.of("field", v.field(), "message", v.message()))
              .toList());
      return Map.of("status", status);
    }
  }

  private static Map<String, Object> ready(
      String status, String reason, String message, Instant at) {
    return Map.of(
        "type",
        "Ready",
        "status",
        status,
        "reason",
        reason,
        "message",
        message,
        "lastTransitionTime",
        at.truncatedTo(ChronoUnit.SECONDS).toString());
  }
}
