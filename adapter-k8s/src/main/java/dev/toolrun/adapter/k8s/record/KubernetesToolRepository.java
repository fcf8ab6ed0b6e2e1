package dev.toolrun.adapter.k8s.record;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.RecordStore;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import dev.toolrun.ports.out.ToolRepository;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each registered tool version as a record, so tools survive a restart of toolrun: a
 * ConfigMap ({@link ToolConfigMaps}) or a Tool custom resource ({@link ToolResources}). Reads come
 * from an informer; the first use waits until it has seen every record.
 */
public final class KubernetesToolRepository implements ToolRepository, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesToolRepository.class);

  // Decoded once per change, not once per read; keyed by record name.
  private final Map<String, Tool> tools = new ConcurrentHashMap<>();
  // The uid of the record each entry of tools was read from, where it had one.
  private final Map<String, String> uids = new ConcurrentHashMap<>();
  // Records this repository deleted whose deletion the informer has not told yet. Its events lag
  // behind this repository's own writes: the event of a record's creation can come after the
  // record was removed here, and must not bring the tool back; the event of a deletion can come
  // after the tool was registered afresh under the same name, and must not remove the new one.
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final Store<?> records;

  /** Tools kept as record ConfigMaps. */
  public KubernetesToolRepository(KubernetesCluster cluster) {
    this(cluster, RecordStore.CONFIG_MAPS);
  }

  public KubernetesToolRepository(KubernetesCluster cluster, RecordStore store) {
    requireNonNull(cluster, "cluster is null");
    this.records =
        switch (requireNonNull(store, "store is null")) {
          case CONFIG_MAPS -> new Store<>(cluster, ToolConfigMaps.LAYOUT);
          case RESOURCES -> new Store<>(cluster, ToolResources.LAYOUT);
        };
  }

  /** The records of one layout; generic on its own so that the repository need not be. */
  private final class Store<T extends HasMetadata> implements AutoCloseable {
    private final ToolLayout<T> layout;
    private final Records<T> records;

    Store(KubernetesCluster cluster, ToolLayout<T> layout) {
      this.layout = layout;
      this.records =
          new Records<>(
              cluster, layout.type(), "tool", this::absorb, KubernetesToolRepository.this::forget);
    }

    private void absorb(T record) {
      String uid = record.getMetadata().getUid();
      if (uid != null && deleted.contains(uid)) {
        return;
      }
      try {
        keep(record.getMetadata().getName(), uid, layout.decode(record));
      } catch (RuntimeException e) {
        LOG.warn("ignoring tool record {}: {}", record.getMetadata().getName(), e.getMessage());
      }
    }

    void start() {
      records.start();
    }

    String name(ToolName name, int version) {
      return layout.recordName(name, version);
    }

    /**
     * @throws KubernetesClientException with code 409 when the version exists already
     */
    void create(Tool tool) {
      T created = records.create(layout.encode(tool, records.labels()));
      String name = name(tool.name(), tool.version());
      keep(name, created == null ? null : created.getMetadata().getUid(), tool);
      // The version is registered once its record is created; its Ready status only says so, so a
      // failure to write it is no failure of the registration.
      layout
          .registeredStatus(tool)
          .ifPresent(
              status -> {
                try {
                  records.patch(name, status);
                } catch (RuntimeException e) {
                  LOG.warn("could not mark tool record {} Ready: {}", name, e.getMessage());
                }
              });
    }

    void delete(String name) {
      records.delete(name);
    }

    @Override
    public void close() {
      records.close();
    }
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
      records.create(tool);
    } catch (KubernetesClientException e) {
      throw new ConflictException(
          "version %d of tool '%s' exists already".formatted(tool.version(), tool.name()));
    }
  }

  private void keep(String name, String uid, Tool tool) {
    tools.put(name, tool);
    if (uid == null) {
      uids.remove(name);
    } else {
      uids.put(name, uid);
    }
  }

  // The informer saw a record deleted: the tool goes, unless a newer record holds its name.
  private void forget(HasMetadata record) {
    String name = record.getMetadata().getName();
    String uid = record.getMetadata().getUid();
    if (uid != null) {
      deleted.remove(uid);
      if (!uid.equals(uids.getOrDefault(name, uid))) {
        return;
      }
    }
    tools.remove(name);
    uids.remove(name);
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
      String recordName = records.name(tool.name(), tool.version());
      String uid = uids.get(recordName);
      if (uid != null) {
        deleted.add(uid);
      }
      records.delete(recordName);
      tools.remove(recordName);
      uids.remove(recordName);
    }
    return !versions.isEmpty();
  }

  @Override
  public void close() {
    records.close();
  }
}
