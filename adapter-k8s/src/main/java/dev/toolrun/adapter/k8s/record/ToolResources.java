package dev.toolrun.adapter.k8s.record;

import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tool version as a Tool custom resource (deploy/crds/tool.yaml), one object per version named
 * {@code <tool>-v<version>}: its spec is the REST API's tool spec with the description (see {@link
 * ToolSpecShape}), its name and version are labels, and when it was registered is an annotation,
 * since all three are written once, with the object, and a create cannot write a status.
 */
final class ToolResources implements ToolLayout<GenericKubernetesResource> {
  static final ToolResources LAYOUT = new ToolResources();
  static final String REGISTERED_AT = "toolrun.dev/registered-at";
  static final String SCHEMA_VERSION = "toolrun.dev/schema-version";

  private ToolResources() {}

  @Override
  public RecordType<GenericKubernetesResource> type() {
    return RecordType.TOOLS;
  }

  @Override
  public String recordName(ToolName name, int version) {
    return name.value() + "-v" + version;
  }

  @Override
  public GenericKubernetesResource encode(Tool tool, Map<String, String> labels) {
    StoredTool stored = RecordMapper.toStored(tool);
    Map<String, Object> spec = new LinkedHashMap<>();
    if (stored.description() != null) {
      spec.put("description", stored.description());
    }
    spec.putAll(ToolSpecShape.toRest(RecordJson.toMap(stored.spec())));
    return new GenericKubernetesResourceBuilder()
        .withApiVersion(RecordType.API_VERSION)
        .withKind("Tool")
        .withNewMetadata()
        .withName(recordName(tool.name(), tool.version()))
        .addToLabels(labels)
        .addToLabels(WorkloadLabels.TOOL, tool.name().value())
        .addToLabels(WorkloadLabels.TOOL_VERSION, Integer.toString(tool.version()))
        .addToAnnotations(REGISTERED_AT, stored.registeredAt())
        .addToAnnotations(SCHEMA_VERSION, Integer.toString(RecordJson.SCHEMA_VERSION))
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  @Override
  @SuppressWarnings("unchecked")
  public Tool decode(GenericKubernetesResource record) {
    Map<String, String> labels =
        Optional.ofNullable(record.getMetadata().getLabels()).orElse(Map.of());
    Map<String, String> annotations =
        Optional.ofNullable(record.getMetadata().getAnnotations()).orElse(Map.of());
    Map<String, Object> spec =
        new LinkedHashMap<>(
            (Map<String, Object>)
                Optional.ofNullable(record.getAdditionalProperties().get("spec"))
                    .orElseThrow(() -> new IllegalArgumentException("the Tool has no spec")));
    Object description = spec.remove("description");
    Map<String, Object> stored = new LinkedHashMap<>();
    Optional.ofNullable(annotations.get(SCHEMA_VERSION))
        .ifPresent(v -> stored.put(RecordJson.VERSION_FIELD, Integer.valueOf(v)));
    stored.put("name", labels.get(WorkloadLabels.TOOL));
    stored.put(
        "version",
        Optional.ofNullable(labels.get(WorkloadLabels.TOOL_VERSION))
            .map(Integer::valueOf)
            .orElse(null));
    if (description != null) {
      stored.put("description", description);
    }
    stored.put("registeredAt", annotations.get(REGISTERED_AT));
    stored.put("spec", ToolSpecShape.toStored(spec));
    return RecordMapper.toDomain(RecordJson.fromMap(stored, StoredTool.class));
  }

  @Override
  public Optional<String> registeredStatus(Tool tool) {
    Map<String, Object> ready =
        Map.of(
            "type", "Ready",
            "status", "True",
            "reason", "Registered",
            "message", "version %d of tool %s is registered".formatted(tool.version(), tool.name()),
            "lastTransitionTime",
                tool.registeredAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
    return Optional.of(
        RecordJson.write(
            Map.of(
                "status",
                // The version again, beside the label: the VERSION column reads the status, so
                // that it shows for a registration request too (which has no version label).
                Map.of(
                    "observedGeneration",
                    1,
                    "version",
                    tool.version(),
                    "conditions",
                    List.of(ready)))));
  }
}
