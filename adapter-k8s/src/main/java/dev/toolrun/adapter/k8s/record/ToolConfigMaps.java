package dev.toolrun.adapter.k8s.record;

import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import java.util.Optional;

/**
 * A tool version as a record ConfigMap holding one document, {@code tool.json}: a {@link
 * StoredTool}.
 */
final class ToolConfigMaps implements ToolLayout<ConfigMap> {
  static final ToolConfigMaps LAYOUT = new ToolConfigMaps();
  private static final String DOCUMENT = "tool.json";

  private ToolConfigMaps() {}

  @Override
  public RecordType<ConfigMap> type() {
    return RecordType.CONFIG_MAPS;
  }

  @Override
  public String recordName(ToolName name, int version) {
    return "toolrun-tool-" + name.value() + "-v" + version;
  }

  @Override
  public ConfigMap encode(Tool tool, Map<String, String> labels) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(recordName(tool.name(), tool.version()))
        .addToLabels(labels)
        .addToLabels(WorkloadLabels.TOOL, tool.name().value())
        .addToLabels(WorkloadLabels.TOOL_VERSION, Integer.toString(tool.version()))
        .endMetadata()
        .addToData(DOCUMENT, RecordJson.write(RecordMapper.toStored(tool)))
        .build();
  }

  @Override
  public Tool decode(ConfigMap record) {
    Map<String, String> data = record.getData() == null ? Map.of() : record.getData();
    return RecordMapper.toDomain(RecordJson.read(data.get(DOCUMENT), StoredTool.class));
  }

  @Override
  public Optional<String> registeredStatus(Tool tool) {
    return Optional.empty();
  }
}
