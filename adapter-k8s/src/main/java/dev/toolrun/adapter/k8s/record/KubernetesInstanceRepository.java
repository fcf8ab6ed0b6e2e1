package dev.toolrun.adapter.k8s.record;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.RecordStore;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.IdempotencyKey;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each instance as a record: what was launched, written once, and what became of it, merged
 * in as it changes. A record is a ConfigMap ({@link InstanceConfigMaps}: {@code launch.json} and
 * {@code status.json}, with its state also in a label so {@code kubectl get configmaps -l
 * toolrun.dev/record=instance -L toolrun.dev/state} lists them) or a ToolRun custom resource
 * ({@link InstanceResources}: spec and status, {@code kubectl get toolruns}). The records survive a
 * restart of toolrun, and deleting one deletes its Job and everything the Job owns.
 *
 * <p>This process is the records' only writer, so its own copy is authoritative and every read is
 * served from memory. Writes are spent where they matter: a new record is stored before its launch
 * goes on, an instance that ends is stored before anything else happens to it (its Job is only
 * cleaned up after), and the steps in between (CREATING, STARTING, RUNNING, health checks) are
 * written together at most every {@value #FLUSH_DELAY_MILLIS} ms. After a crash those steps are
 * observed again from the cluster; their exact times may be lost, never their outcome.
 */
public final class KubernetesInstanceRepository implements InstanceRepository, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesInstanceRepository.class);
  static final long FLUSH_DELAY_MILLIS = 2_000;

  private final Store<?> records;
  private final ConcurrentSkipListMap<InstanceId, InstanceEntry> entries =
      new ConcurrentSkipListMap<>(Comparator.reverseOrder());
  private final LaunchReservations reservations = new LaunchReservations();
  private final AtomicLong retained = new AtomicLong();
  // Removed here, not yet seen deleted by the informer: late events about them are ignored.
  private final Set<InstanceId> removing = ConcurrentHashMap.newKeySet();
  private final List<Consumer<InstanceId>> removalListeners = new CopyOnWriteArrayList<>();
  // The ToolRun written by hand that the launch on this thread adopts, and whether it did.
  private final ThreadLocal<Adoption> adopting = new ThreadLocal<>();
  private final ThreadLocal<Boolean> adopted = new ThreadLocal<>();
  private final ScheduledExecutorService flusher =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "toolrun-k8s-records");
            t.setDaemon(true);
            return t;
          });

  /** Instances kept as record ConfigMaps. */
  public KubernetesInstanceRepository(KubernetesCluster cluster) {
    this(cluster, RecordStore.CONFIG_MAPS);
  }

  public KubernetesInstanceRepository(KubernetesCluster cluster, RecordStore store) {
    requireNonNull(cluster, "cluster is null");
    this.records =
        switch (requireNonNull(store, "store is null")) {
          case CONFIG_MAPS -> new Store<>(cluster, InstanceConfigMaps.LAYOUT);
          case RESOURCES -> new Store<>(cluster, InstanceResources.LAYOUT);
        };
  }

  /** The records of one layout; generic on its own so that the repository need not be. */
  private final class Store<T extends HasMetadata> implements AutoCloseable {
    private final InstanceLayout<T> layout;
    private final Records<T> records;

    Store(KubernetesCluster cluster, InstanceLayout<T> layout) {
      this.layout = layout;
      this.records =
          new Records<>(
              cluster,
              layout.type(),
              "instance",
              this::absorb,
              record -> forget(record.getMetadata().getLabels()));
    }

    private void absorb(T record) {
      Instance stored;
      try {
        stored = layout.read(record);
      } catch (RuntimeException e) {
        LOG.warn("ignoring instance record {}: {}", record.getMetadata().getName(), e.getMessage());
        return;
      }
      KubernetesInstanceRepository.this.absorb(
          stored, record.getMetadata().getUid(), record.getMetadata().getName());
    }

    void start() {
      records.start();
    }

    /**
     * Stores the record of a new instance.
     *
     * @return its uid
     * @throws KubernetesClientException with code 409 when it exists already
     */
    String create(Instance instance) {
      // Made first: a launch too large to keep is refused before anything is written.
      T record = layout.newRecord(instance, records.labels());
      return records.create(record).getMetadata().getUid();
    }

    /**
     * Makes the ToolRun of {@code adoption} the record of {@code instance}, in one patch.
     *
     * @return its uid
     * @throws KubernetesClientException with code 404 when it is gone, 409 when it changed since
     */
    String adopt(Instance instance, Adoption adoption) {
      if (!(layout instanceof InstanceResources resources)) {
        throw new IllegalStateException("only a ToolRun is adopted, and records are ConfigMaps");
      }
      String patch = resources.adoptionPatch(instance, records.labels(), adoption);
      return records.patchObject(adoption.name(), patch).getMetadata().getUid();
    }

    String recordName(InstanceId id) {
      return layout.recordName(id);
    }

    /** Checks that {@code instance} can be stored, before anything is reserved. */
    void check(Instance instance) {
      layout.newRecord(instance, records.labels());
    }

    boolean writeStatus(String name, Instance instance) {
      return records.patch(name, layout.statusPatch(instance));
    }

    /**
     * Deletes the record called {@code name}; a ToolRun loses toolrun's finalizer first (one more
     * write), so that it goes at once instead of waiting for the door to let it go.
     */
    void delete(String name) {
      if (layout.type().statusSubresource()) {
        records.release(name, ToolRuns.FINALIZER);
      }
      records.delete(name);
    }

    OwnerReference owner(String name, String uid) {
      return layout.owner(name, uid);
    }

    @Override
    public void close() {
      records.close();
    }
  }

  /**
   * The record of {@code id} as an owner of its Job, so deleting the record deletes the Job and
   * everything the Job owns.
   */
  public Optional<OwnerReference> owner(InstanceId id) {
    records.start();
    InstanceEntry entry = entries.get(id);
    if (entry == null || entry.uid == null) {
      return Optional.empty();
    }
    return Optional.of(records.owner(entry.name, entry.uid));
  }

  // Told of every record the informer sees; InstanceEntry.absorb says which copy wins.
  private void absorb(Instance stored, String uid, String name) {
    if (removing.contains(stored.id())) {
      return;
    }
    entries
        .compute(
            stored.id(),
            (id, entry) ->
                entry == null
                    ? new InstanceEntry(stored, uid, name)
                    : entry.absorb(stored, uid, name))
        .account(retained);
    stored.idempotencyKey().ifPresent(k -> reservations.hold(k.value(), stored.id()));
  }

  private void forget(Map<String, String> labels) {
    String id = labels == null ? null : labels.get(WorkloadLabels.INSTANCE);
    if (id == null) {
      return;
    }
    InstanceId instance;
    try {
      instance = new InstanceId(id);
    } catch (RuntimeException notOurs) {
      // Not an instance id: not a record of ours.
      return;
    }
    // One that remove() took out was told of there; this one was deleted outside toolrun.
    removing.remove(instance);
    InstanceEntry removed = entries.remove(instance);
    if (removed == null) {
      return;
    }
    synchronized (removed) {
      removed.cancelFlush();
      removed.release(retained);
      removed.instance.idempotencyKey().ifPresent(k -> reservations.free(k.value(), instance));
    }
    if (removed.instance.isTerminal()) {
      LOG.info(
          "the record of instance {} ({}) was deleted; it is forgotten",
          instance,
          removed.instance.state());
    } else {
      LOG.warn(
          "the record of instance {} ({}) was deleted outside toolrun; it is forgotten",
          instance,
          removed.instance.state());
    }
    tellRemoved(instance);
  }

  private void tellRemoved(InstanceId id) {
    for (Consumer<InstanceId> listener : removalListeners) {
      try {
        listener.accept(id);
      } catch (RuntimeException e) {
        LOG.error("a listener failed on the removal of instance {}", id, e);
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Adds are stored side by side: the id and key are reserved first, and the record is created
   * (an API round trip) outside any lock; see {@link LaunchReservations}.
   */
  @Override
  public void add(Instance instance) {
    records.start();
    InstanceId id = instance.id();
    Optional<String> key = instance.idempotencyKey().map(IdempotencyKey::value);
    // Made first: a launch too large to keep is refused before anything is reserved or written.
    records.check(instance);
    Adoption adoption = adopting.get();
    // Consumed here: a launch adds one instance at most.
    adopting.remove();
    reservations.reserve(id, key, entries::containsKey);
    String uid;
    String name = adoption == null ? records.recordName(id) : adoption.name();
    try {
      uid = adoption == null ? records.create(instance) : records.adopt(instance, adoption);
    } catch (RuntimeException e) {
      reservations.release(id, key, false);
      if (e instanceof KubernetesClientException refused) {
        throw new ConflictException(
            adoption == null
                ? "instance " + id + " exists already"
                : "ToolRun %s was %s before it could be launched"
                    .formatted(
                        name, refused.getCode() == 404 ? "deleted" : "changed by someone else"));
      }
      throw e;
    }
    if (adoption != null) {
      adopted.set(Boolean.TRUE);
    }
    InstanceEntry added = new InstanceEntry(instance, uid, name);
    InstanceEntry seen = entries.put(id, added);
    if (seen != null) {
      // The informer saw the new record before this put: its entry is replaced, and uncounted.
      seen.release(retained);
    }
    added.account(retained);
    reservations.release(id, key, true);
    if (instance.state() != InstanceState.PENDING) {
      // The launch document holds a PENDING instance; anything further is status.
      InstanceEntry entry = entries.get(id);
      synchronized (entry) {
        entry.dirty = true;
      }
      persist(id);
    }
  }

  /**
   * Runs {@code launch} (a launch through the core) so that the instance it adds, if any, is kept
   * in the ToolRun of {@code adoption} instead of a new one named by its id: that ToolRun, written
   * by hand, becomes the instance's record in one patch ({@link InstanceResources#adoptionPatch}).
   * The core makes the instance's id and adds it on the thread that launches, which is why this
   * works on the calling thread; a Kubernetes name has no place in the core's launch command.
   *
   * @return whether the ToolRun was adopted: false when {@code launch} added no instance (a replay
   *     of an idempotency key, or a refusal)
   * @throws IllegalStateException when the records are ConfigMaps
   */
  public boolean adopting(Adoption adoption, Runnable launch) {
    requireNonNull(adoption, "adoption is null");
    records.start();
    adopting.set(adoption);
    adopted.remove();
    try {
      launch.run();
      return adopted.get() != null;
    } finally {
      adopting.remove();
      adopted.remove();
    }
  }

  @Override
  public Instance update(InstanceId id, UnaryOperator<Instance> change) {
    records.start();
    InstanceEntry entry = entries.get(id);
    if (entry == null) {
      throw new InstanceNotFoundException(id);
    }
    synchronized (entry) {
      Instance current = entry.instance;
      Instance next = change.apply(current);
      if (next == current || next.equals(current)) {
        return current;
      }
      if (!next.id().equals(current.id())
          || !next.idempotencyKey().equals(current.idempotencyKey())) {
        throw new IllegalArgumentException(
            "an update may not change an instance's id or idempotency key");
      }
      if (next.isTerminal()) {
        // Stored before anyone acts on the end (cleanup deletes the Job only after this returns).
        writeStatus(entry.name, next);
        entry.instance = next;
        entry.account(retained);
        entry.dirty = false;
        entry.cancelFlush();
        return next;
      }
      entry.instance = next;
      entry.account(retained);
      entry.dirty = true;
      if (entry.flush == null || entry.flush.isDone()) {
        entry.flush =
            flusher.schedule(() -> persist(id), FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
      }
      return next;
    }
  }

  /**
   * Writes the latest state of {@code id}, if it has unsaved changes; retried while the API server
   * is away.
   */
  private void persist(InstanceId id) {
    InstanceEntry entry = entries.get(id);
    if (entry == null) {
      return;
    }
    synchronized (entry) {
      entry.flush = null;
      try {
        writeStatus(entry.name, entry.instance);
        entry.dirty = false;
      } catch (RuntimeUnavailableException e) {
        LOG.warn("could not store instance {} yet, retrying: {}", id, e.getMessage());
        entry.dirty = true;
        entry.flush =
            flusher.schedule(() -> persist(id), FLUSH_DELAY_MILLIS, TimeUnit.MILLISECONDS);
      } catch (RuntimeException e) {
        LOG.error("could not store instance {}", id, e);
      }
    }
  }

  private void writeStatus(String name, Instance instance) {
    if (!records.writeStatus(name, instance)) {
      throw new InstanceNotFoundException(instance.id());
    }
  }

  @Override
  public Optional<Instance> find(InstanceId id) {
    records.start();
    InstanceEntry entry = entries.get(id);
    if (entry == null) {
      return Optional.empty();
    }
    synchronized (entry) {
      return Optional.of(entry.instance);
    }
  }

  /**
   * Always: a lookup reads the map the informer keeps, but under the entry's lock, which a writer
   * holds across its API call. On an event loop that wait stalled every connection of the loop, and
   * on the real cluster a GET then timed out behind a record write (KubernetesEndToEndClusterIT).
   */
  @Override
  public boolean findMayBlock() {
    return true;
  }

  @Override
  public Page<Instance> list(InstanceFilter filter, PageRequest page) {
    records.start();
    var view =
        page.after().map(after -> entries.tailMap(new InstanceId(after), false)).orElse(entries);
    List<Instance> matching = new ArrayList<>();
    for (InstanceEntry entry : view.values()) {
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
    InstanceEntry entry = entries.remove(id);
    if (entry == null) {
      removing.remove(id);
      return false;
    }
    synchronized (entry) {
      entry.release(retained);
      entry.cancelFlush();
      entry.instance.idempotencyKey().ifPresent(k -> reservations.free(k.value(), id));
    }
    try {
      records.delete(entry.name);
    } finally {
      tellRemoved(id);
    }
    return true;
  }

  /**
   * {@inheritDoc} A running sum over the records this process holds, its own and those the informer
   * brought, kept as they come, change and go.
   */
  @Override
  public long retainedBytes() {
    records.start();
    return retained.get();
  }

  @Override
  public Optional<Instance> findByIdempotencyKey(String key) {
    records.start();
    return reservations.holder(key).flatMap(this::find);
  }

  /**
   * {@inheritDoc} A record deleted by hand is told of when the informer sees it go, on the
   * informer's thread; its Job, which it owns, is deleted by Kubernetes' garbage collector.
   */
  @Override
  public void whenRemoved(Consumer<InstanceId> listener) {
    removalListeners.add(requireNonNull(listener, "listener is null"));
  }

  @Override
  public void close() {
    // The informer stops first, so that its watch does not close with the events of the writes
    // below still being sent to it: fabric8's mock server blocks its event loop on a watch that
    // closes while it sends it an event ("Unable to close MockWebServer"). Nothing below needs it.
    records.close();
    // Unsaved steps are written now rather than lost.
    for (InstanceId id : entries.keySet()) {
      InstanceEntry entry = entries.get(id);
      if (entry != null && entry.dirty) {
        persist(id);
      }
    }
    flusher.shutdownNow();
  }
}
