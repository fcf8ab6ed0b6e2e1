package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.RunMetrics;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Caps how many instances of each mode are active at once. Launches beyond the cap wait in a FIFO
 * queue, in order, and are admitted as capacity frees; none is dropped.
 *
 * <p>Pure bookkeeping: it decides who may start and never starts anything itself. Thread-safe.
 */
final class Admission {
  private final Map<ToolMode, Integer> caps;
  private final Map<ToolMode, Set<InstanceId>> active = new EnumMap<>(ToolMode.class);
  private final Map<ToolMode, Deque<Launch>> waiting = new EnumMap<>(ToolMode.class);

  Admission(int maxServices, int maxTasks) {
    if (maxServices < 1 || maxTasks < 1) {
      throw new IllegalArgumentException("capacity caps must be positive");
    }
    this.caps = Map.of(ToolMode.SERVICE, maxServices, ToolMode.TASK, maxTasks);
    for (ToolMode mode : ToolMode.values()) {
      active.put(mode, new HashSet<>());
      waiting.put(mode, new ArrayDeque<>());
    }
  }

  int cap(ToolMode mode) {
    return caps.get(mode);
  }

  /**
   * Admits {@code launch} if its mode has room and nobody is waiting before it.
   *
   * @return the launch when it may start now; empty when it was queued
   */
  synchronized Optional<Launch> admit(Launch launch) {
    requireNonNull(launch, "launch is null");
    ToolMode mode = launch.instance().mode();
    InstanceId id = launch.instance().id();
    if (active.get(mode).contains(id) || isQueued(id)) {
      return Optional.empty();
    }
    if (waiting.get(mode).isEmpty() && active.get(mode).size() < caps.get(mode)) {
      active.get(mode).add(id);
      return Optional.of(launch);
    }
    waiting.get(mode).addLast(launch);
    return Optional.empty();
  }

  /** Counts an instance that was started before (e.g. found running after a restart) as active. */
  synchronized void occupy(InstanceId id, ToolMode mode) {
    active.get(mode).add(id);
  }

  /**
   * Frees the capacity {@code id} held, if any.
   *
   * @return the queued launches that may start now, in queue order
   */
  synchronized List<Launch> release(InstanceId id) {
    for (ToolMode mode : ToolMode.values()) {
      if (active.get(mode).remove(id)) {
        return admitWaiting(mode);
      }
    }
    return List.of();
  }

  /** Whether {@code id} holds capacity: it was admitted and has not been released. */
  synchronized boolean holds(InstanceId id) {
    return active.values().stream().anyMatch(ids -> ids.contains(id));
  }

  /**
   * Takes {@code id} out of the queue.
   *
   * @return whether it was waiting
   */
  synchronized boolean withdraw(InstanceId id) {
    for (Deque<Launch> queue : waiting.values()) {
      for (Iterator<Launch> it = queue.iterator(); it.hasNext(); ) {
        if (it.next().instance().id().equals(id)) {
          it.remove();
          return true;
        }
      }
    }
    return false;
  }

  /** The place of {@code id} in its queue, 1 being next; empty when it is not waiting. */
  synchronized Optional<Integer> positionOf(InstanceId id) {
    for (Deque<Launch> queue : waiting.values()) {
      int position = 1;
      for (Launch launch : queue) {
        if (launch.instance().id().equals(id)) {
          return Optional.of(position);
        }
        position++;
      }
    }
    return Optional.empty();
  }

  synchronized int activeCount(ToolMode mode) {
    return active.get(mode).size();
  }

  synchronized int waitingCount(ToolMode mode) {
    return waiting.get(mode).size();
  }

  /** This queue as the metrics read it: live, each count taken under the queue's lock. */
  RunMetrics.AdmissionView view() {
    return new RunMetrics.AdmissionView() {
      @Override
      public int active(ToolMode mode) {
        return activeCount(mode);
      }

      @Override
      public int waiting(ToolMode mode) {
        return waitingCount(mode);
      }
    };
  }

  private boolean isQueued(InstanceId id) {
    return waiting.values().stream()
        .flatMap(Deque::stream)
        .anyMatch(l -> l.instance().id().equals(id));
  }

  private List<Launch> admitWaiting(ToolMode mode) {
    List<Launch> admitted = new ArrayList<>();
    Deque<Launch> queue = waiting.get(mode);
    while (!queue.isEmpty() && active.get(mode).size() < caps.get(mode)) {
      Launch next = queue.removeFirst();
      active.get(mode).add(next.instance().id());
      admitted.add(next);
    }
    return admitted;
  }
}
