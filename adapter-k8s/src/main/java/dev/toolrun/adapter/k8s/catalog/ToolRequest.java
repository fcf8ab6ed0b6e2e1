package dev.toolrun.adapter.k8s.catalog;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a Tool object says to the door: whether it is a registration request at all (a version
 * object, which toolrun writes, carries the version label; a request, which people apply, does
 * not), the tool it names, the generation of its spec and the last generation toolrun answered.
 *
 * @param name the object's name, which is the tool's
 * @param version whether this is one of toolrun's version objects rather than a request
 * @param generation the API server's count of the object's spec changes
 * @param observedGeneration the generation toolrun last answered, if it did
 * @param body the registration in a {@code PUT /v1/tools/{name}} body's terms: {@code description}
 *     and {@code spec}
 */
record ToolRequest(
    String name,
    boolean version,
    long generation,
    Optional<Long> observedGeneration,
    Map<String, Object> body) {

  ToolRequest {
    requireNonNull(name, "name is null");
    requireNonNull(observedGeneration, "observedGeneration is null");
    requireNonNull(body, "body is null");
  }

  /** What {@code tool} says. */
  @SuppressWarnings("unchecked")
  static ToolRequest of(GenericKubernetesResource tool) {
    Map<String, String> labels =
        Optional.ofNullable(tool.getMetadata().getLabels()).orElse(Map.of());
    Map<String, Object> spec =
        new LinkedHashMap<>(
            Optional.ofNullable((Map<String, Object>) tool.getAdditionalProperties().get("spec"))
                .orElse(Map.of()));
    // The custom resource keeps the description in its spec; a PUT's body has it beside the spec.
    Map<String, Object> body = new LinkedHashMap<>();
    Optional.ofNullable(spec.remove("description")).ifPresent(d -> body.put("description", d));
    body.put("spec", spec);
    Optional<Long> observed =
        Optional.ofNullable((Map<String, Object>) tool.getAdditionalProperties().get("status"))
            .map(status -> status.get("observedGeneration"))
            .filter(Number.class::isInstance)
            .map(n -> ((Number) n).longValue());
    return new ToolRequest(
        tool.getMetadata().getName(),
        labels.containsKey(WorkloadLabels.TOOL_VERSION),
        Optional.ofNullable(tool.getMetadata().getGeneration()).orElse(1L),
        observed,
        body);
  }

  /** Whether toolrun answered this generation already (before a restart, say). */
  boolean answered() {
    return observedGeneration.filter(g -> g >= generation).isPresent();
  }
}
