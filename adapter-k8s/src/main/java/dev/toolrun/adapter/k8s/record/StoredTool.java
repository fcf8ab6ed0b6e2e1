package dev.toolrun.adapter.k8s.record;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The stored form of one tool version, the JSON document {@code tool.json} of its record ConfigMap.
 * These records are toolrun's storage format: their component names are the stored field names, and
 * nothing here follows the domain's names (RecordMapper maps between the two). Renaming a component
 * changes the format: GoldenRecordsTest fails when an older record can no longer be read, and
 * GoldenRecordShapesTest when a record is no longer written in the shape of its schema version.
 *
 * <p>A null component is left out of the document. Instants and durations are ISO-8601 text,
 * quantities keep their spelling, enums are stored by constant name.
 *
 * @param schemaVersion the version of this format the document was written in; absent in documents
 *     written before it was recorded, which are version 1
 */
record StoredTool(
    Integer schemaVersion,
    @JsonProperty(required = true) String name,
    @JsonProperty(required = true) Integer version,
    String description,
    @JsonProperty(required = true) String registeredAt,
    @JsonProperty(required = true) Spec spec) {

  /**
   * A tool's spec; optional settings are null when not set.
   *
   * @param inputSchema the JSON Schema of the parameters, stored as the JSON object it is (added
   *     within schema version 1: a document without it is a tool without one)
   * @param outputSchema the JSON Schema of the result, likewise
   */
  record Spec(
      @JsonProperty(required = true) Workload workload,
      @JsonProperty(required = true) String mode,
      @JsonProperty(required = true) Resources resources,
      Map<String, String> env,
      List<String> secretInputs,
      @JsonProperty(required = true) Scheduling scheduling,
      @JsonProperty(required = true) Security security,
      String serviceAccount,
      String imagePullSecret,
      List<Volume> volumes,
      @JsonProperty(required = true) Parallelism parallelism,
      String timeout,
      @JsonProperty(required = true) Integer retryLimit,
      String cleanupPolicy,
      Boolean istioSidecar,
      Service service,
      Map<String, Object> inputSchema,
      Map<String, Object> outputSchema) {}

  /**
   * What runs: {@code type} is {@value #SCRIPT} (language, source, args) or {@value #IMAGE} (image,
   * command, args); the fields of the other kind are null.
   */
  record Workload(
      @JsonProperty(required = true) String type,
      String language,
      String source,
      String image,
      List<String> command,
      List<String> args) {
    static final String SCRIPT = "Script";
    static final String IMAGE = "ContainerImage";
  }

  record Resources(Range cpu, Range memory, Gpu gpu) {}

  /** Quantities as written, e.g. {@code 250m}; either may be null. */
  record Range(String request, String limit) {}

  record Gpu(@JsonProperty(required = true) Integer count, String resourceName) {}

  /** {@code requiredNodeTerms}: each term is the list of its label requirements. */
  record Scheduling(
      Map<String, String> nodeSelector, List<Toleration> tolerations, Affinity affinity) {}

  record Toleration(
      String key, String operator, String value, String effect, Long tolerationSeconds) {}

  record Affinity(
      List<List<LabelRequirement>> requiredNodeTerms,
      List<PodAffinityRule> podAffinity,
      List<PodAffinityRule> podAntiAffinity) {}

  record LabelRequirement(String key, String operator, List<String> values) {}

  record PodAffinityRule(
      Map<String, String> matchLabels, String topologyKey, Integer preferenceWeight) {}

  record Security(
      @JsonProperty(required = true) Boolean runAsNonRoot,
      Long runAsUser,
      @JsonProperty(required = true) Boolean readOnlyRootFilesystem,
      @JsonProperty(required = true) Boolean allowPrivilegeEscalation,
      List<String> dropCapabilities,
      List<String> addCapabilities) {}

  record Volume(
      @JsonProperty(required = true) String claimName,
      @JsonProperty(required = true) String mountPath,
      @JsonProperty(required = true) Boolean readOnly) {}

  record Parallelism(
      @JsonProperty(required = true) Integer parallelism,
      @JsonProperty(required = true) Integer completions) {}

  /** A SERVICE tool's settings; durations are ISO-8601 text. */
  record Service(
      @JsonProperty(required = true) Integer port,
      @JsonProperty(required = true) String protocol,
      @JsonProperty(required = true) String healthPath,
      @JsonProperty(required = true) String healthInterval,
      @JsonProperty(required = true) Integer failureThreshold,
      @JsonProperty(required = true) Integer maxConcurrentRequests,
      @JsonProperty(required = true) String requestTimeout,
      @JsonProperty(required = true) String startTimeout,
      @JsonProperty(required = true) String onUnhealthy,
      @JsonProperty(required = true) Integer maxRestarts,
      @JsonProperty(required = true) Boolean networkIsolation) {}
}
