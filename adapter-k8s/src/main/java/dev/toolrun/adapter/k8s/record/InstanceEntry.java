package dev.toolrun.adapter.k8s.record;

import dev.toolrun.domain.instance.Instance;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One instance record and what this process knows of its stored copy: the instance (this process's
 * own copy is authoritative), the record's uid, whether the instance has changes not yet stored,
 * and the write that will store them. Guarded by itself.
 */
final class InstanceEntry {
  Instance instance;
  String uid;
  // The record's name: the instance's id, or the name of a ToolRun written by hand and adopted.
  String name;
  boolean dirty;
  ScheduledFuture<?> flush;
  // What this entry has added to the repository's running sum of retained bytes; -1 once removed.
  private long accounted;

  InstanceEntry(Instance instance, String uid, String name) {
    this.instance = instance;
    this.uid = uid;
    this.name = name;
  }

  /**
   * Brings {@code total} up to date with this entry's instance: adds what it takes beyond what was
   * counted before. Called after every change of {@link #instance}; nothing once {@link #release}d.
   */
  synchronized void account(AtomicLong total) {
    if (accounted < 0) {
      return;
    }
    long bytes = instance.retainedBytes();
    total.addAndGet(bytes - accounted);
    accounted = bytes;
  }

  /** Takes this entry's share out of {@code total}, for good: the entry was removed. */
  synchronized void release(AtomicLong total) {
    if (accounted > 0) {
      total.addAndGet(-accounted);
    }
    accounted = -1;
  }

  /**
   * Takes in {@code stored}, as the informer saw it: a record this process has no unsaved change
   * of, and that is ahead of what it knows (changed by someone else), is taken as stored; this
   * process's own unsaved changes win.
   */
  synchronized InstanceEntry absorb(Instance stored, String storedUid, String storedName) {
    uid = storedUid;
    name = storedName;
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
