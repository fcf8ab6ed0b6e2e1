package dev.toolrun.domain.instance;

import dev.toolrun.domain.tool.ToolMode;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle of an instance. {@link #allowedNext(ToolMode)} is the one table of legal
 * transitions; terminal states have no successors.
 *
 * <pre>
 * TASK
 *   PENDING ──► CREATING ──► STARTING ──► RUNNING ──► SUCCEEDED | FAILED | TIMED_OUT | CANCELLED
 *      │            │            └──────────────────► SUCCEEDED | FAILED | TIMED_OUT | CANCELLED
 *      └────────────┴───► FAILED | CANCELLED
 *
 * SERVICE
 *   PENDING ──► CREATING ──► STARTING ──► RUNNING ──► SERVING ──► STOPPING ──► STOPPED
 *      │            │            │  ▲         │  ▲       │            ▲
 *      │            │            │  └─restart─┘  └───────┘ (restart)  │
 *      │            └────────────┴────────────┴─────────────────────► STOPPING
 *      └──► STOPPED                        any non-terminal but STOPPING ──► FAILED
 * </pre>
 */
public enum InstanceState {
  /** Accepted and recorded; waiting for capacity, or for the runtime to be reachable. */
  PENDING(0, false),
  /** The runtime is building and applying the instance's objects. */
  CREATING(1, false),
  /** The objects exist; the workload is being scheduled, pulled and started. */
  STARTING(2, false),
  /** The workload's process runs; a service has not yet passed a health check. */
  RUNNING(3, false),
  /** A service passed its health checks and accepts requests. */
  SERVING(4, false),
  /** A service is draining its in-flight requests and being removed. */
  STOPPING(5, false),
  /** A task ran to completion and exited with code 0. */
  SUCCEEDED(6, true),
  /** The instance failed; its failure reason says why. */
  FAILED(6, true),
  /** A task ran past its timeout and was stopped. */
  TIMED_OUT(6, true),
  /** A task was cancelled on request before it finished. */
  CANCELLED(6, true),
  /** A service was stopped on request. */
  STOPPED(6, true);

  private static final Map<ToolMode, Map<InstanceState, Set<InstanceState>>> TABLE = table();

  // How far along the lifecycle a state is; runtime observations only ever move an instance
  // forward.
  private final int stage;
  private final boolean terminal;

  InstanceState(int stage, boolean terminal) {
    this.stage = stage;
    this.terminal = terminal;
  }

  /** Whether the instance's lifecycle is over; terminal states are final. */
  public boolean isTerminal() {
    return terminal;
  }

  /** Whether this state lies further along the lifecycle than {@code other}. */
  public boolean isAheadOf(InstanceState other) {
    return stage > other.stage;
  }

  /** The states an instance of {@code mode} may move to from this one. */
  public Set<InstanceState> allowedNext(ToolMode mode) {
    return TABLE.get(mode).get(this);
  }

  /** Whether an instance of {@code mode} may move from this state to {@code next}. */
  public boolean canTransitionTo(InstanceState next, ToolMode mode) {
    return allowedNext(mode).contains(next);
  }

  /** Whether the instance passes through this state at all in {@code mode}. */
  public boolean occursIn(ToolMode mode) {
    return this == PENDING || TABLE.get(mode).values().stream().anyMatch(s -> s.contains(this));
  }

  /**
   * The shortest chain of forward transitions that leads from this state to {@code target}, ending
   * with {@code target}; empty when {@code target} is not ahead of this state.
   *
   * <p>A runtime may observe a later state than the last one recorded (a quick task is already done
   * when its first event arrives); the instance then passes through the states in between.
   */
  public Optional<List<InstanceState>> forwardPathTo(InstanceState target, ToolMode mode) {
    if (!target.isAheadOf(this)) {
      return Optional.empty();
    }
    Map<InstanceState, InstanceState> cameFrom = new EnumMap<>(InstanceState.class);
    var queue = new ArrayDeque<InstanceState>();
    queue.add(this);
    while (!queue.isEmpty()) {
      InstanceState current = queue.poll();
      for (InstanceState next : current.allowedNext(mode)) {
        if (next.stage <= current.stage || next == this || cameFrom.containsKey(next)) {
          continue;
        }
        cameFrom.put(next, current);
        if (next == target) {
          var path = new ArrayDeque<InstanceState>();
          for (InstanceState s = target; s != this; s = cameFrom.get(s)) {
            path.addFirst(s);
          }
          return Optional.of(List.copyOf(path));
        }
        queue.add(next);
      }
    }
    return Optional.empty();
  }

  private static Map<ToolMode, Map<InstanceState, Set<InstanceState>>> table() {
    Map<ToolMode, Map<InstanceState, Set<InstanceState>>> byMode = new EnumMap<>(ToolMode.class);
    for (ToolMode mode : ToolMode.values()) {
      Map<InstanceState, Set<InstanceState>> next = new EnumMap<>(InstanceState.class);
      for (InstanceState state : values()) {
        next.put(state, Collections.unmodifiableSet(successors(mode, state)));
      }
      byMode.put(mode, Collections.unmodifiableMap(next));
    }
    return Collections.unmodifiableMap(byMode);
  }

  private static EnumSet<InstanceState> successors(ToolMode mode, InstanceState state) {
    return switch (mode) {
      case TASK ->
          switch (state) {
            case PENDING -> EnumSet.of(CREATING, FAILED, CANCELLED);
            case CREATING -> EnumSet.of(STARTING, FAILED, CANCELLED);
            case STARTING -> EnumSet.of(RUNNING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED);
            case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, TIMED_OUT, CANCELLED);
            case SERVING, STOPPING, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, STOPPED ->
                EnumSet.noneOf(InstanceState.class);
          };
      case SERVICE ->
          switch (state) {
            case PENDING -> EnumSet.of(CREATING, FAILED, STOPPED);
            case CREATING -> EnumSet.of(STARTING, FAILED, STOPPING);
            case STARTING -> EnumSet.of(RUNNING, FAILED, STOPPING);
            case RUNNING -> EnumSet.of(SERVING, STARTING, FAILED, STOPPING);
            case SERVING -> EnumSet.of(STARTING, FAILED, STOPPING);
            case STOPPING -> EnumSet.of(STOPPED);
            case SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, STOPPED ->
                EnumSet.noneOf(InstanceState.class);
          };
    };
  }
}
