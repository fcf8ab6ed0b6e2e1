package dev.toolrun.ports.out;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/** Keeps instance records. Implementations are thread-safe and never lose a concurrent update. */
public interface InstanceRepository {

  /**
   * Stores a new instance.
   *
   * @throws dev.toolrun.domain.error.ConflictException when the id exists, or when another instance
   *     already holds the same idempotency key
   */
  void add(Instance instance);

  /**
   * Atomically replaces an instance with {@code change} applied to its latest version; {@code
   * change} may run more than once and must be free of side effects. An exception it throws
   * propagates and leaves the instance as it was.
   *
   * @return the stored result
   * @throws dev.toolrun.domain.error.InstanceNotFoundException when there is no such instance
   */
  Instance update(InstanceId id, UnaryOperator<Instance> change);

  /** The instance with {@code id}. */
  Optional<Instance> find(InstanceId id);

  /**
   * Whether {@link #find} may block the calling thread right now: on I/O, a lock held across I/O,
   * or a first wait for the store's contents. A reader on an event loop asks before every read and
   * reads there only when this is false; a repository that cannot promise it answers true. There is
   * no default, so that every repository says which kind it is.
   */
  boolean findMayBlock();

  /** The instances that match {@code filter}, newest first, keyed by id for paging. */
  Page<Instance> list(InstanceFilter filter, PageRequest page);

  /**
   * Every instance that matches {@code filter}, newest first, in a new list of the caller's: {@link
   * #list} page after page.
   */
  default List<Instance> listAll(InstanceFilter filter) {
    List<Instance> all = new ArrayList<>();
    Optional<String> after = Optional.empty();
    do {
      Page<Instance> page = list(filter, new PageRequest(after, PageRequest.MAX_LIMIT));
      all.addAll(page.items());
      after = page.nextAfter();
    } while (after.isPresent());
    return all;
  }

  /**
   * Removes the record of instance {@code id} (retention); where the runtime's objects are owned by
   * the record, they go with it.
   *
   * @return whether there was such a record
   */
  boolean remove(InstanceId id);

  /** The instance launched with the idempotency key {@code key}. */
  Optional<Instance> findByIdempotencyKey(String key);

  /**
   * About the heap the records held here take: the sum of their {@link Instance#retainedBytes()}.
   * This default lists every record to add them up; a repository that holds its records in memory
   * keeps a running sum instead, since the core asks at every launch.
   */
  default long retainedBytes() {
    return listAll(InstanceFilter.ALL).stream().mapToLong(Instance::retainedBytes).sum();
  }

  /**
   * Tells {@code listener} of every record that leaves the repository from now on, however it left:
   * through {@link #remove}, or deleted in the store outside toolrun (by hand, say). Each record is
   * told once, after it can no longer be found, on a thread of the repository's or the remover's;
   * {@code listener} must be quick and must not throw. What the core counts for an instance (its
   * capacity, its place in the queue) follows the records this way.
   */
  void whenRemoved(Consumer<InstanceId> listener);
}
