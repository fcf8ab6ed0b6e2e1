package dev.toolrun.adapter.k8s.record;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.KubernetesCluster;
import dev.toolrun.adapter.k8s.WorkloadLabels;
import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.IdempotencyKey;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ServiceHealth;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each instance as a record ConfigMap: what was launched ({@value #LAUNCH}), written once,
 * and what became of it ({@value #STATUS}), with its state also in a label so {@code kubectl get
 * configmaps -l toolrun.dev/record=instance -L toolrun.dev/state} lists them. The records survive a
 * restart of toolrun, and deleting one deletes its Job and everything the Job owns.
 *
 * <p>This process is the records' only writer, so its own copy is authoritative and every read is
 * served from memory. Writes are spent where they matter: a new record is stored before its
 * launch goes on, an instance that ends is stored before anything else happens to it (its Job is
 * only cleaned up after), and the steps in between (CREATING, STARTING, RUNNING, health checks)
 * are written together at most every {@value #FLUSH_DELAY_MILLIS} ms. After a crash those steps are
 * observed again from the cluster; their exact times may be lost, never their outcome.
 */
public final class KubernetesInstanceRepository implements InstanceRepository, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesInstanceRepository.class);
  static final long FLUSH_DELAY_MILLIS = 2_000;
  static final String KEY_LABEL = "toolrun.dev/idempotency-key";
  static final String STATE_LABEL = "toolrun.dev/state";
  static final String LAUNCH = "launch.json";
  static final String STATUS = "status.json";
  private static final Set<String> LAUNCH_FIELDS =
      Set.of("id", "toolName", "toolVersion", "mode", "parameters", "secretNames", "idempotencyKey");
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final RecordConfigMaps records;
  private final ConcurrentSkipListMap<InstanceId, Entry> entries = new ConcurrentSkipListMap<>(Comparator.reverseOrder());
  private final Map<String, InstanceId> byKey = new ConcurrentHashMap<>();
  // Removed here, not yet seen deleted by the informer: late events about them are ignored.
  private final Set<InstanceId> removing = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService flusher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "toolrun-k8s-records");
            t.setDaemon(true);
            return t;
          });

  public KubernetesInstanceRepository(KubernetesCluster cluster) {
    this.records = new RecordConfigMaps(requireNonNull(cluster, "cluster is null"), "instance", this::absorb, this::forget);
  }

  /** One record and what this process knows of its stored copy. */
  private static final class Entry {
    Instance instance;
    String uid;
    boolean dirty;
    ScheduledFuture<?> flush;

    Entry(Instance instance, String uid) {
      this.instance = instance;
      this.uid = uid;
    }
  }

  static String recordName(InstanceId id) {
    return "toolrun-record-" + id.value();
  }

  /**
   * The record of {@code id} as an owner of its Job, so deleting the record deletes the Job and
   * everything the Job owns.
   */
  public Optional<OwnerReference> owner(InstanceId id) {
    records.start();
    Entry entry = entries.get(id);
    if (entry == null || entry.uid == null) {
      return Optional.empty();
    }
    return Optional.of(
        new OwnerReferenceBuilder()
            .withApiVersion("v1")
            .withKind("ConfigMap")
            .withName(recordName(id))
            .withUid(entry.uid)
            .withBlockOwnerDeletion(false)
            .build());
  }

  // A record this process does not hold yet (loaded at start, or changed by someone else while it
  // had no unsaved change) is taken as stored; this process's own unsaved changes win.
  private void absorb(ConfigMap record) {
    Instance stored;
    try {
      stored = decode(record);
    } catch (RuntimeException e) {
      LOG.warn("ignoring instance record {}: {}", record.getMetadata().getName(), e.getMessage());
      return;
    }
    if (removing.contains(stored.id())) {
      return;
    }
    String uid = record.getMetadata().getUid();
    entries.compute(
        stored.id(),
        (id, entry) -> {
          if (entry == null) {
            return new Entry(stored, uid);
          }
          synchronized (entry) {
            entry.uid = uid;
            if (!entry.dirty && isAhead(stored, entry.instance)) {
              entry.instance = stored;
            }
          }
          return entry;
        });
    stored.idempotencyKey().ifPresent(k -> byKey.put(k.value(), stored.id()));
  }

  private static boolean isAhead(Instance stored, Instance known) {
    return stored.history().size() > known.history().size() || !stored.health().equals(known.health());
  }

  private void forget(ConfigMap record) {
    String id = record.getMetadata().getLabels().get(WorkloadLabels.INSTANCE);
    if (id == null) {
      return;
    }
    try {
      removing.remove(new InstanceId(id));
      Entry removed = entries.remove(new InstanceId(id));
      if (removed != null) {
        removed.instance.idempotencyKey().ifPresent(k -> byKey.remove(k.value(), new InstanceId(id)));
      }
    } catch (RuntimeException notOurs) {
      // Not an instance id: not a record of ours.
    }
  }

  @Override
  public void add(Instance instance) {
    records.start();
    synchronized (byKey) {
      if (entries.containsKey(instance.id())) {
        throw new ConflictException("instance " + instance.id() + " exists already");
      }
      Optional<String> key = instance.idempotencyKey().map(IdempotencyKey::value);
      if (key.isPresent() && byKey.containsKey(key.get())) {
        throw new ConflictException("idempotency key '%s' belongs to instance %s".formatted(key.get(), byKey.get(key.get())));
      }
      ConfigMap created;
      try {
        created = records.create(encode(instance));
      } catch (KubernetesClientException e) {
        throw new ConflictException("instance " + instance.id() + " exists already");
      }
      entries.put(instance.id(), new Entry(instance, created.getMetadata().getUid()));
      key.ifPresent(k -> byKey.put(k, instance.id()));
    }
    if (instance.state() != InstanceState.PENDING) {
      // The launch document holds a PENDING instance; anything further is status.
      Entry entry = entries.get(instance.id());
      synchronized (entry) {
        entry.dirty = true;
      }
      persist(instance.id());
    }
  }

  @Override
  public Instance update(InstanceId id, UnaryOperator<Instance> change) {
    records.start();
    Entry entry = entries.get(id);
    if (entry == null) {
      throw new InstanceNotFoundException(id);
    }
    synchronized (entry) {
      Instance current = entry.instance;
      Instance next = change.apply(current);
      if (next == current || next.equals(current)) {
        return current;
      }
      if (!next.id().equals(current.id()) || !next.idempotencyKey().equals(current.idempotencyKey())) {
        throw new IllegalArgumentException("an update may not change an instance's id or idempotency key");
      }
      if (next.isTerminal()) {
        // Stored before anyone acts on the end (cleanup deletes the Job only after this returns).
        writeStatus(next);
        entry.instance = next;
        entry.dirty = false;
        cancelFlush(entry);
        return next;
      }
      entry.instance = next;
      entry.dirty = true;
      if (entry.flush == null || entry.flush.isDone()) {
        entry.flush = flusher.schedule(() -> persist(id), FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
      }
      return next;
    }
  }

  private static void cancelFlush(Entry entry) {
    if (entry.flush != null) {
      entry.flush.cancel(false);
      entry.flush = null;
    }
  }

  /** Writes the latest state of {@code id}, if it has unsaved changes; retried while the API server is away. */
  private void persist(InstanceId id) {
    Entry entry = entries.get(id);
    if (entry == null) {
      return;
    }
    synchronized (entry) {
      entry.flush = null;
      try {
        writeStatus(entry.instance);
        entry.dirty = false;
      } catch (RuntimeUnavailableException e) {
        LOG.warn("could not store instance {} yet, retrying: {}", id, e.getMessage());
        entry.dirty = true;
        entry.flush = flusher.schedule(() -> persist(id), FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        LOG.error("could not store instance {}", id, e);
      }
    }
  }

  private void writeStatus(Instance instance) {
    Map<String, Object> patch =
        Map.of(
            "metadata", Map.of("labels", Map.of(STATE_LABEL, instance.state().name())),
            "data", Map.of(STATUS, JSON.asJson(status(instance))));
    if (!records.patch(recordName(instance.id()), JSON.asJson(patch))) {
      throw new InstanceNotFoundException(instance.id());
    }
  }

  @Override
  public Optional<Instance> find(InstanceId id) {
    records.start();
    Entry entry = entries.get(id);
    if (entry == null) {
      return Optional.empty();
    }
    synchronized (entry) {
      return Optional.of(entry.instance);
    }
  }

  @Override
  public Page<Instance> list(InstanceFilter filter, PageRequest page) {
    records.start();
    var view = page.after().map(after -> entries.tailMap(new InstanceId(after), false)).orElse(entries);
    List<Instance> matching = new ArrayList<>();
    for (Entry entry : view.values()) {
      Instance instance;
      synchronized (entry) {
        instance = entry.instance;
      }
      if (filter.matches(instance)) {
        matching.add(instance);
        if (matching.size() > page.limit()) {
          break;
        }
      }
    }
    return Page.of(matching, page, i -> i.id().value());
  }

  /** {@inheritDoc} Its Job, pods, ConfigMap and Secret go with it: they are owned by the record. */
  @Override
  public boolean remove(InstanceId id) {
    records.start();
    removing.add(id);
    Entry entry = entries.remove(id);
    if (entry == null) {
      removing.remove(id);
      return false;
    }
    synchronized (entry) {
      cancelFlush(entry);
      entry.instance.idempotencyKey().ifPresent(k -> byKey.remove(k.value(), id));
    }
    records.delete(recordName(id));
    return true;
  }

  @Override
  public Optional<Instance> findByIdempotencyKey(String key) {
    records.start();
    return Optional.ofNullable(byKey.get(key)).flatMap(this::find);
  }

  private ConfigMap encode(Instance instance) {
    @SuppressWarnings("unchecked")
    Map<String, Object> document = (Map<String, Object>) RecordDocuments.write(instance, Instance.class);
    Map<String, Object> launch = new LinkedHashMap<>();
    document.forEach((k, v) -> { if (LAUNCH_FIELDS.contains(k)) { launch.put(k, v); } });
    launch.put("createdAt", instance.createdAt().toString());
    Map<String, String> labels = new LinkedHashMap<>(records.labels());
    labels.put(WorkloadLabels.INSTANCE, instance.id().value());
    labels.put(WorkloadLabels.TOOL, instance.toolName().value());
    labels.put(WorkloadLabels.TOOL_VERSION, Integer.toString(instance.toolVersion()));
    labels.put(STATE_LABEL, instance.state().name());
    instance.idempotencyKey().ifPresent(k -> labels.put(KEY_LABEL, keyLabel(k.value())));
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(recordName(instance.id()))
        .withLabels(labels)
        .endMetadata()
        .addToData(LAUNCH, JSON.asJson(launch))
        .build();
  }

  /** Label values hold 63 characters; a key may be longer, so the label holds its hash. */
  static String keyLabel(String key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash).substring(0, 63);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static Map<String, Object> status(Instance instance) {
    @SuppressWarnings("unchecked")
    Map<String, Object> document = (Map<String, Object>) RecordDocuments.write(instance, Instance.class);
    Map<String, Object> status = new LinkedHashMap<>();
    document.forEach((k, v) -> { if (!LAUNCH_FIELDS.contains(k)) { status.put(k, v); } });
    return status;
  }

  @SuppressWarnings("unchecked")
  private static Instance decode(ConfigMap record) {
    Map<String, Object> launch = JSON.unmarshal(record.getData().get(LAUNCH), Map.class);
    String statusText = record.getData().get(STATUS);
    Map<String, Object> document = new LinkedHashMap<>(launch);
    document.remove("createdAt");
    if (statusText == null) {
      // Stored, never updated: the instance as it was launched.
      document.put("state", InstanceState.PENDING.name());
      document.put("history", List.of(Map.of("state", InstanceState.PENDING.name(), "at", launch.get("createdAt"))));
      document.put("health", RecordDocuments.write(ServiceHealth.UNCHECKED, ServiceHealth.class));
      document.put("restarts", 0);
    } else {
      document.putAll(JSON.unmarshal(statusText, Map.class));
    }
    return RecordDocuments.read(document, Instance.class);
  }

  @Override
  public void close() {
    // Unsaved steps are written now rather than lost.
    for (InstanceId id : entries.keySet()) {
      Entry entry = entries.get(id);
      if (entry != null && entry.dirty) {
        persist(id);
      }
    }
    flusher.shutdownNow();
    records.close();
  }
}
