package dev.toolrun.adapter.k8s.record;

import dev.toolrun.domain.instance.Instance;
import java.util.concurrent.ScheduledFuture;

/**
 * One instance record and what this process knows of its stored copy: the instance (this process's
 * own copy is authoritative), the record's uid, whether the instance has changes not yet stored,
 * and the write that will store them. Guarded by itself.
 */
final class InstanceEntry {
  Instance instance;
  String uid;
  boolean dirty;
  ScheduledFuture<?> flush;

  InstanceEntry(Instance instance, String uid) {
    this.instance = instance;
    this.uid = uid;
  }

  /**
   * Takes in {@code stored}, as the informer saw it: a record this process has no unsaved change
   * of, and that is ahead of what it knows (changed by someone else), is taken as stored; this
   * process's own unsaved changes win.
   */
  synchronized InstanceEntry absorb(Instance stored, String storedUid) {
    uid = storedUid;
    if (!dirty && isAhead(stored, instance)) {
      instance = stored;
    }
    return this;
  }

  private static boolean isAhead(Instance stored, Instance known) {
    return stored.history().size() > known.history().size()
        || !stored.health().equals(known.health());
  }

  /** Drops the scheduled write, if any. */
  void cancelFlush() {
    if (flush != null) {
      flush.cancel(false);
      flush = null;
    }
  }
}
