package dev.toolrun.adapter.http.dto;

import java.util.List;
import java.util.Map;

/**
 * A tool's spec; in requests every field but {@code mode} may be absent. The schemas are JSON
 * Schema documents, passed as the JSON objects they are.
 */
public record SpecDto(
    String mode,
    ImageDto image,
    ScriptDto script,
    ResourcesDto resources,
    Map<String, String> env,
    List<String> secretInputs,
    Map<String, String> nodeSelector,
    List<TolerationDto> tolerations,
    AffinityDto affinity,
    SecurityDto security,
    String serviceAccount,
    String imagePullSecret,
    List<VolumeDto> volumes,
    Integer parallelism,
    Integer completions,
    Long timeoutSeconds,
    Integer retryLimit,
    String cleanupPolicy,
    Boolean istioSidecar,
    ServiceDto service,
    Map<String, Object> inputSchema,
    Map<String, Object> outputSchema) {

  /** A container image and what to run in it. */
  public record ImageDto(String name, List<String> command, List<String> args) {}

  /** A script and its interpreter. */
  public record ScriptDto(String language, String source, List<String> args) {}

  /** CPU, memory and GPUs. */
  public record ResourcesDto(RangeDto cpu, RangeDto memory, GpuDto gpu) {}

  /** A request and a limit, as Kubernetes quantities. */
  public record RangeDto(String request, String limit) {}

  /** GPUs of an extended resource. */
  public record GpuDto(Integer count, String resourceName) {}

  /** A toleration of a node taint. */
  public record TolerationDto(
      String key, String operator, String value, String effect, Long tolerationSeconds) {}

  /** Node and pod affinity rules. */
  public record AffinityDto(
      List<NodeTermDto> requiredNodeTerms,
      List<PodAffinityDto> podAffinity,
      List<PodAffinityDto> podAntiAffinity) {}

  /** Node label requirements that must all hold. */
  public record NodeTermDto(List<RequirementDto> requirements) {}

  /** One condition on labels. */
  public record RequirementDto(String key, String operator, List<String> values) {}

  /** Placement near or away from matching pods. */
  public record PodAffinityDto(
      Map<String, String> matchLabels, String topologyKey, Integer preferenceWeight) {}

  /** The container's security settings. */
  public record SecurityDto(
      Boolean runAsNonRoot,
      Long runAsUser,
      Boolean readOnlyRootFilesystem,
      Boolean allowPrivilegeEscalation,
      List<String> dropCapabilities,
      List<String> addCapabilities) {}

  /** A persistent volume claim mounted into the container. */
  public record VolumeDto(String claimName, String mountPath, Boolean readOnly) {}

  /** How a service instance is reached, watched and protected. */
  public record ServiceDto(
      Integer port,
      String protocol,
      String healthPath,
      Long healthIntervalMs,
      Integer failureThreshold,
      Integer maxConcurrentRequests,
      Long requestTimeoutMs,
      Long startTimeoutSeconds,
      String onUnhealthy,
      Integer maxRestarts,
      Boolean networkIsolation) {}
}
