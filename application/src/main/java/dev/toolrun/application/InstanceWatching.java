package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.ListInstancesUseCase;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.in.WatchInstancesUseCase;
import dev.toolrun.ports.in.WatchInstancesUseCase.WatchEvent.Kind;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Watches of the instances. A watch hears of every change from {@link InstanceChanges} as soon as
 * it is made, and keeps only the ids of the instances that changed since its watcher last read:
 * when the watcher reads, each is read as it is then, so a slow watcher costs at most one id per
 * instance and never sees an instance go back in time.
 */
final class InstanceWatching implements WatchInstancesUseCase {
  private static final Logger LOG = System.getLogger(InstanceWatching.class.getName());

  private final InstanceChanges changes;
  private final ListInstancesUseCase lister;
  private final InstanceQueryService views;
  private final Executor executor;

  InstanceWatching(InstanceChanges changes, InstanceQueryService views, Executor executor) {
    this.changes = requireNonNull(changes, "changes is null");
    this.views = requireNonNull(views, "views is null");
    this.lister = views;
    this.executor = requireNonNull(executor, "executor is null");
  }

  @Override
  public InstanceWatch watch(WatchInstancesQuery query) {
    return new Watch(query.filter());
  }

  private final class Watch implements InstanceWatch {
    private final InstanceFilter filter;
    private final InstanceChanges.Listener listener = this::changed;
    // Guarded by this.
    private final Set<InstanceId> changed = new LinkedHashSet<>();
    private Optional<String> snapshotAfter = Optional.empty();
    private boolean snapshotDone;
    private boolean syncedSent;
    private int snapshotSize;
    private int maxEvents;
    private CompletableFuture<List<WatchEvent>> pending;
    private boolean closed;

    Watch(InstanceFilter filter) {
      this.filter = filter;
      // Listening before the snapshot is read: a change made while it is read is kept.
      changes.listen(listener);
    }

    private void changed(Optional<Instance> before, Instance after) {
      // One that leaves the filter is told too: its new state says it no longer matches.
      if (!filter.matches(after) && !before.map(filter::matches).orElse(false)) {
        return;
      }
      boolean wake;
      synchronized (this) {
        if (closed) {
          return;
        }
        changed.add(after.id());
        wake = pending != null && syncedSent;
      }
      if (wake) {
        executor.execute(this::attempt);
      }
    }

    @Override
    public synchronized CompletionStage<List<WatchEvent>> next(int maxEvents) {
      if (closed) {
        throw new IllegalStateException("the watch is closed");
      }
      if (pending != null) {
        throw new IllegalStateException("the watch is already waiting");
      }
      if (maxEvents < 1 || maxEvents > MAX_EVENTS) {
        throw new IllegalArgumentException(
            "maxEvents must be from 1 to " + MAX_EVENTS + ", was " + maxEvents);
      }
      this.maxEvents = maxEvents;
      pending = new CompletableFuture<>();
      CompletableFuture<List<WatchEvent>> stage = pending;
      executor.execute(this::attempt);
      return stage;
    }

    private void attempt() {
      CompletableFuture<List<WatchEvent>> done;
      List<WatchEvent> events = new ArrayList<>();
      try {
        synchronized (this) {
          if (closed || pending == null) {
            return;
          }
          done = pending;
          if (!snapshotDone) {
            Page<InstanceView> page =
                lister.list(
                    new ListInstancesQuery(
                        filter,
                        new PageRequest(
                            snapshotAfter, Math.min(maxEvents, PageRequest.MAX_LIMIT))));
            page.items()
                .forEach(view -> events.add(new WatchEvent(Kind.SNAPSHOT, Optional.of(view), 0)));
            snapshotSize += page.items().size();
            snapshotAfter = page.nextAfter();
            snapshotDone = snapshotAfter.isEmpty();
            if (snapshotDone && events.isEmpty()) {
              // An empty last page (no instance matches, or the one before was full): the snapshot
              // is over now. Waiting instead would wait for ever, as no change wakes a watch
              // before it is synced.
              events.add(new WatchEvent(Kind.SYNCED, Optional.empty(), snapshotSize));
              syncedSent = true;
            }
          } else if (!syncedSent) {
            events.add(new WatchEvent(Kind.SYNCED, Optional.empty(), snapshotSize));
            syncedSent = true;
          } else {
            Iterator<InstanceId> ids = changed.iterator();
            while (ids.hasNext() && events.size() < maxEvents) {
              InstanceId id = ids.next();
              ids.remove();
              views
                  .find(id)
                  .ifPresent(
                      view -> events.add(new WatchEvent(Kind.CHANGED, Optional.of(view), 0)));
            }
          }
          if (events.isEmpty()) {
            // Nothing yet: a change wakes this watch.
            if (!changed.isEmpty()) {
              executor.execute(this::attempt);
            }
            return;
          }
          // Delivered: an attempt before the watcher takes these must not read into this stage.
          pending = null;
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "reading instances for a watch failed", e);
        CompletableFuture<List<WatchEvent>> failed;
        synchronized (this) {
          failed = pending;
          pending = null;
        }
        close();
        if (failed != null) {
          failed.completeExceptionally(e);
        }
        return;
      }
      done.complete(List.copyOf(events));
    }

    @Override
    public void close() {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
        changed.clear();
      }
      changes.forget(listener);
    }
  }
}
