package dev.toolrun.adapter.k8s.record;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Optional;

/**
 * The stored form of one instance: its record ConfigMap holds two JSON documents, {@code
 * launch.json} ({@link Launch}: what was launched, written once with the record) and {@code
 * status.json} ({@link Status}: what became of it, replaced at each write; absent until the first
 * one). Like {@link StoredTool}, these records are toolrun's storage format: their component names
 * are the stored field names; a null component is left out.
 *
 * <p>Each document carries its own {@code schemaVersion}, since a record launched by one toolrun
 * may be updated by a later one; absent means version 1.
 */
record StoredInstance(Launch launch, Optional<Status> status) {

  /**
   * What was launched: the instance as it was when PENDING.
   *
   * @param parameters the parameters as JSON text, so their numbers come back exactly as given
   * @param secretRef the Secret the secret inputs come from, when they were given by reference
   *     (added within schema version 1: absent when they were given as values, or there are none,
   *     and in records written before references existed)
   */
  record Launch(
      Integer schemaVersion,
      @JsonProperty(required = true) String id,
      @JsonProperty(required = true) String toolName,
      @JsonProperty(required = true) Integer toolVersion,
      @JsonProperty(required = true) String mode,
      @JsonProperty(required = true) String parameters,
      List<String> secretNames,
      SecretRef secretRef,
      IdempotencyKey idempotencyKey,
      @JsonProperty(required = true) String createdAt) {}

  /** A Secret of the namespace, by name: the shape of a ToolRun's {@code spec.secretRef}. */
  record SecretRef(@JsonProperty(required = true) String name) {}

  record IdempotencyKey(
      @JsonProperty(required = true) String value,
      @JsonProperty(required = true) String requestFingerprint) {}

  /**
   * What became of the instance.
   *
   * @param result the result's JSON text
   * @param resultViolations how the result breaks its tool's output schema (added within schema
   *     version 1: absent when it matches or the tool has none)
   * @param start {@code WARM} or {@code COLD}, how its workload was started (added within schema
   *     version 1: absent until it started, and in records written before pools existed)
   * @param log how its log stands (added within schema version 1): {@code OPEN} while it runs; once
   *     it ended, what the log store said when the log tail was taken. Absent in records written
   *     before it existed, whose log tail was taken once the log had ended
   */
  record Status(
      Integer schemaVersion,
      @JsonProperty(required = true) String state,
      @JsonProperty(required = true) List<StateChange> history,
      Failure failure,
      Integer exitCode,
      String result,
      @JsonProperty(required = true) Health health,
      @JsonProperty(required = true) Integer restarts,
      LogTail logTail,
      List<Violation> resultViolations,
      String start,
      Log log) {}

  /** One broken rule: a JSON pointer into the result and what is wrong there. */
  record Violation(
      @JsonProperty(required = true) String field, @JsonProperty(required = true) String message) {}

  record StateChange(
      @JsonProperty(required = true) String state, @JsonProperty(required = true) String at) {}

  /**
   * Why an instance failed: {@code type} names the kind (see RecordMapper for the names), and only
   * that kind's fields are set. {@code failedProcesses} and {@code processes} are set only for a
   * run of several processes (pods); a record without them is of one, as every record written
   * before they were added.
   */
  record Failure(
      @JsonProperty(required = true) String type,
      String image,
      String detail,
      String timeout,
      Integer exitCode,
      Integer lastExitCode,
      List<String> lastLogLines,
      Integer failures,
      String lastError,
      Integer failedProcesses,
      Integer processes) {}

  record Health(
      String lastCheckAt,
      String lastHealthyAt,
      String lastError,
      @JsonProperty(required = true) Integer consecutiveFailures) {}

  record LogTail(
      @JsonProperty(required = true) List<String> lines,
      @JsonProperty(required = true) Long totalLines) {}

  /**
   * Whether an instance's log is all there, in the shape of the REST API's {@code log}: {@code
   * state} is {@code OPEN}, {@code COMPLETE} or {@code INCOMPLETE}; the counts and {@code missing}
   * are those of the log tail, absent while the instance runs (it has none yet).
   */
  record Log(
      @JsonProperty(required = true) String state, Long lines, Long droppedLines, String missing) {}
}
