package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.out.LogMark;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogStore;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A {@link LogStore} that tells the followers of a log when it changed, so that they read at once
 * instead of asking again and again. Give the runtime and {@link Toolrun.Builder#logs} the same
 * one: the runtime writes through it and the followers are woken. It keeps nothing but who waits:
 * every call goes to the store it decorates, and a log has one writer however many follow it.
 */
public final class LiveLogs implements LogStore {
  private final LogStore store;
  // Wakers are one-shot: a follower registers before it reads and again each time it waits. A set
  // per log is only changed inside the map's atomic compute, so a waker registered during a wake
  // is either woken by it or kept for the next one, never lost.
  private final Map<InstanceId, Set<Runnable>> waiting = new ConcurrentHashMap<>();
  private final List<Consumer<InstanceId>> completionListeners = new CopyOnWriteArrayList<>();

  private LiveLogs(LogStore store) {
    this.store = requireNonNull(store, "store is null");
  }

  /** {@code store}, telling its followers when it changes; {@code store} itself if it does so. */
  public static LiveLogs over(LogStore store) {
    return store instanceof LiveLogs live ? live : new LiveLogs(store);
  }

  @Override
  public void append(InstanceId id, List<String> lines) {
    store.append(id, lines);
    wake(id);
  }

  @Override
  public void append(InstanceId id, List<String> lines, String mark) {
    store.append(id, lines, mark);
    wake(id);
  }

  @Override
  public Optional<LogMark> mark(InstanceId id) {
    return store.mark(id);
  }

  @Override
  public void reportGap(InstanceId id, String reason) {
    store.reportGap(id, reason);
    wake(id);
  }

  @Override
  public LogPage read(InstanceId id, long fromLine, int limit) {
    return store.read(id, fromLine, limit);
  }

  @Override
  public LogPage tail(InstanceId id, int lines) {
    return store.tail(id, lines);
  }

  @Override
  public void complete(InstanceId id) {
    store.complete(id);
    wake(id);
    for (Consumer<InstanceId> listener : completionListeners) {
      listener.accept(id);
    }
  }

  /**
   * Tells {@code listener} of each {@link #complete} from now on, once the store has the log
   * complete (a log completed twice is told of twice), on the writer's thread; it must only hand
   * work off.
   */
  void whenCompleted(Consumer<InstanceId> listener) {
    completionListeners.add(requireNonNull(listener, "listener is null"));
  }

  @Override
  public void delete(InstanceId id) {
    store.delete(id);
    wake(id);
  }

  /**
   * Runs {@code waker} once, on the writer's thread, at the next change of the log of {@code id};
   * it must only hand work off. Registering the same waker twice before a change runs it once.
   */
  void awaitChange(InstanceId id, Runnable waker) {
    requireNonNull(waker, "waker is null");
    waiting.compute(
        id,
        (key, wakers) -> {
          Set<Runnable> set = wakers == null ? new HashSet<>() : wakers;
          set.add(waker);
          return set;
        });
  }

  /** Forgets {@code waker}, registered for the log of {@code id}. */
  void forget(InstanceId id, Runnable waker) {
    waiting.computeIfPresent(
        id,
        (key, wakers) -> {
          wakers.remove(waker);
          return wakers.isEmpty() ? null : wakers;
        });
  }

  private void wake(InstanceId id) {
    Set<Runnable> wakers = waiting.remove(id);
    if (wakers != null) {
      wakers.forEach(Runnable::run);
    }
  }
}
