package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.IdempotencyKey;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * An {@link InstanceRepository} that keeps instance records in memory, newest first, with an index
 * of their idempotency keys.
 */
public final class InMemoryInstanceRepository implements InstanceRepository {
  // Ids are UUIDv7 in lower case, so their text sorts by creation time: descending order is the
  // listing order, and a page starts right after its cursor without scanning what came before.
  private final ConcurrentSkipListMap<String, Instance> byId =
      new ConcurrentSkipListMap<>(Comparator.reverseOrder());
  private final Map<String, String> idByIdempotencyKey = new ConcurrentHashMap<>();
  private final Object addLock = new Object();
  private final AtomicLong retained = new AtomicLong();
  private final List<Consumer<InstanceId>> removalListeners = new CopyOnWriteArrayList<>();

  /** An empty repository. */
  public InMemoryInstanceRepository() {}

  @Override
  public void add(Instance instance) {
    requireNonNull(instance, "instance is null");
    String id = instance.id().value();
    Optional<String> key = instance.idempotencyKey().map(IdempotencyKey::value);
    // Adds are checked and applied one at a time, so neither an id nor a key can be claimed twice.
    // The record is stored before its key: whoever finds the key also finds the instance.
    synchronized (addLock) {
      if (byId.containsKey(id)) {
        throw new ConflictException("instance %s exists already".formatted(id));
      }
      if (key.isPresent() && idByIdempotencyKey.containsKey(key.get())) {
        throw new ConflictException(
            "idempotency key '%s' already belongs to instance %s"
                .formatted(key.get(), idByIdempotencyKey.get(key.get())));
      }
      byId.put(id, instance);
      retained.addAndGet(instance.retainedBytes());
      key.ifPresent(k -> idByIdempotencyKey.put(k, id));
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException when {@code change} alters the id or the idempotency key,
   *     which index the record
   */
  @Override
  public Instance update(InstanceId id, UnaryOperator<Instance> change) {
    requireNonNull(id, "id is null");
    requireNonNull(change, "change is null");
    // computeIfPresent publishes with a compare-and-set and re-applies change to the newer record
    // when another update won the race: no update is lost, and change may run more than once,
    // which the port allows. An exception from change leaves the record untouched.
    // The record the winning application of change started from, for the running sum.
    Instance[] base = new Instance[1];
    Instance updated =
        byId.computeIfPresent(
            id.value(),
            (key, current) -> {
              base[0] = current;
              return checked(current, change.apply(current));
            });
    if (updated == null) {
      throw new InstanceNotFoundException(id);
    }
    if (updated != base[0]) {
      retained.addAndGet(updated.retainedBytes() - base[0].retainedBytes());
    }
    return updated;
  }

  private static Instance checked(Instance current, Instance changed) {
    requireNonNull(changed, "an update returned null");
    if (!changed.id().equals(current.id())
        || !changed.idempotencyKey().equals(current.idempotencyKey())) {
      throw new IllegalArgumentException(
          "an update of instance %s must keep its id and idempotency key".formatted(current.id()));
    }
    return changed;
  }

  @Override
  public Optional<Instance> find(InstanceId id) {
    requireNonNull(id, "id is null");
    return Optional.ofNullable(byId.get(id.value()));
  }

  /** A lookup in a concurrent map: it never waits. */
  @Override
  public boolean findMayBlock() {
    return false;
  }

  @Override
  public Page<Instance> list(InstanceFilter filter, PageRequest page) {
    requireNonNull(filter, "filter is null");
    requireNonNull(page, "page is null");
    NavigableMap<String, Instance> older =
        page.after().isPresent() ? byId.tailMap(page.after().get(), false) : byId;
    // One more than the page holds tells Page.of whether there is a next page.
    List<Instance> matching = new ArrayList<>(page.limit() + 1);
    for (Instance instance : older.values()) {
      if (filter.matches(instance)) {
        matching.add(instance);
        if (matching.size() > page.limit()) {
          break;
        }
      }
    }
    return Page.of(matching, page, instance -> instance.id().value());
  }

  @Override
  public boolean remove(InstanceId id) {
    requireNonNull(id, "id is null");
    synchronized (addLock) {
      Instance removed = byId.remove(id.value());
      if (removed == null) {
        return false;
      }
      retained.addAndGet(-removed.retainedBytes());
      removed.idempotencyKey().ifPresent(k -> idByIdempotencyKey.remove(k.value(), id.value()));
    }
    // Outside the lock: a listener may look at the repository.
    removalListeners.forEach(listener -> listener.accept(id));
    return true;
  }

  /** {@inheritDoc} Nothing but {@link #remove} takes a record out of memory. */
  @Override
  public void whenRemoved(Consumer<InstanceId> listener) {
    removalListeners.add(requireNonNull(listener, "listener is null"));
  }

  /** {@inheritDoc} A running sum, kept as records are added, changed and removed. */
  @Override
  public long retainedBytes() {
    return retained.get();
  }

  @Override
  public Optional<Instance> findByIdempotencyKey(String key) {
    requireNonNull(key, "key is null");
    return Optional.ofNullable(idByIdempotencyKey.get(key)).map(byId::get);
  }
}
