package dev.toolrun.adapter.k8s.record;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import dev.toolrun.ports.out.ToolRepository;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each registered tool version as a record ConfigMap, so tools survive a restart of toolrun.
 * Reads come from an informer; the first use waits until it has seen every record. The record holds
 * one document, {@code tool.json}: a {@link StoredTool}.
 */
public final class KubernetesToolRepository implements ToolRepository, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesToolRepository.class);
  private static final String DOCUMENT = "tool.json";

  // Decoded once per change, not once per read; keyed by record name.
  private final Map<String, Tool> tools = new ConcurrentHashMap<>();
  private final RecordConfigMaps records;

  public KubernetesToolRepository(KubernetesCluster cluster) {
    requireNonNull(cluster, "cluster is null");
    this.records =
        new RecordConfigMaps(
            cluster, "tool", this::absorb, record -> tools.remove(record.getMetadata().getName()));
  }

  private void absorb(ConfigMap record) {
    try {
      tools.put(record.getMetadata().getName(), decode(record));
    } catch (RuntimeException e) {
      LOG.warn("ignoring tool record {}: {}", record.getMetadata().getName(), e.getMessage());
    }
  }

  static String recordName(ToolName name, int version) {
    return "toolrun-tool-" + name.value() + "-v" + version;
  }

  @Override
  public synchronized void add(Tool tool) {
    records.start();
    int latest = versions(tool.name()).stream().mapToInt(Tool::version).max().orElse(0);
    if (tool.version() != latest + 1) {
      throw new ConflictException(
          "tool '%s' is at version %d; version %d cannot be added"
              .formatted(tool.name(), latest, tool.version()));
    }
    try {
      records.create(encode(tool, records.labels()));
    } catch (KubernetesClientException e) {
      throw new ConflictException(
          "version %d of tool '%s' exists already".formatted(tool.version(), tool.name()));
    }
    tools.put(recordName(tool.name(), tool.version()), tool);
  }

  @Override
  public List<Tool> versions(ToolName name) {
    records.start();
    return tools.values().stream()
        .filter(t -> t.name().equals(name))
        .sorted(Comparator.comparingInt(Tool::version))
        .toList();
  }

  @Override
  public Page<Tool> listLatest(PageRequest page) {
    records.start();
    Map<ToolName, Tool> latest = new TreeMap<>();
    for (Tool tool : tools.values()) {
      latest.merge(tool.name(), tool, (a, b) -> a.version() >= b.version() ? a : b);
    }
    List<Tool> after =
        latest.values().stream()
            .filter(t -> page.after().map(a -> t.name().value().compareTo(a) > 0).orElse(true))
            .limit(page.limit() + 1L)
            .toList();
    return Page.of(after, page, t -> t.name().value());
  }

  @Override
  public synchronized boolean remove(ToolName name) {
    List<Tool> versions = versions(name);
    for (Tool tool : versions) {
      String recordName = recordName(tool.name(), tool.version());
      records.delete(recordName);
      tools.remove(recordName);
    }
    return !versions.isEmpty();
  }

  /** The record of {@code tool}, with {@code labels} (the record labels) and its own. */
  static ConfigMap encode(Tool tool, Map<String, String> labels) {
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

  private static Tool decode(ConfigMap record) {
    Map<String, String> data = record.getData() == null ? Map.of() : record.getData();
    return RecordMapper.toDomain(RecordJson.read(data.get(DOCUMENT), StoredTool.class));
  }

  @Override
  public void close() {
    records.close();
  }
}
