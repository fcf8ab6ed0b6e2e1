package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.PoolStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The in-memory runtime's warm pools, modelled as the Kubernetes runtime keeps them: per tool, a
 * number of waiting "pods" made for the tool's latest version; a launch of that version takes one
 * if one is ready (WARM) and starts cold otherwise; each pod taken, killed or gone stale is
 * replaced one step later. Nothing is executed: a pod is a count. Thread-safe (one lock).
 */
final class InMemoryPools {
  private final Function<ToolName, Optional<Tool>> latest;
  private final ScheduledExecutorService scheduler;
  private final Duration refillDelay;
  private final Map<ToolName, Pool> pools = new TreeMap<>();

  /** One tool's pool. */
  private static final class Pool {
    int size;
    int ready;
    int starting;
    long claimed;
    long misses;
  }

  InMemoryPools(
      Map<ToolName, Integer> sizes,
      Function<ToolName, Optional<Tool>> latest,
      ScheduledExecutorService scheduler,
      Duration refillDelay) {
    this.latest = requireNonNull(latest, "latest is null");
    this.scheduler = requireNonNull(scheduler, "scheduler is null");
    this.refillDelay = requireNonNull(refillDelay, "refillDelay is null");
    sizes.forEach(this::resize);
  }

  /** Keeps {@code size} waiting pods for {@code tool} from now on (0 removes its pool). */
  synchronized void resize(ToolName tool, int size) {
    if (size < 0) {
      throw new IllegalArgumentException("a pool's size must not be negative, was " + size);
    }
    if (size == 0) {
      pools.remove(tool);
      return;
    }
    Pool pool = pools.computeIfAbsent(tool, t -> new Pool());
    pool.size = size;
    pool.ready = Math.min(pool.ready, size);
    refill(tool, pool);
  }

  /**
   * Takes a ready pod for {@code launch}'s run: whether one was there. A pool serves one-pod tasks
   * of the tool's latest version whose secrets are given as values, as in Kubernetes (a pool pod
   * cannot read a Secret); other launches are not counted.
   */
  synchronized boolean claim(Launch launch) {
    Tool tool = launch.tool();
    Pool pool = pools.get(tool.name());
    if (pool == null || !servable(launch)) {
      return false;
    }
    if (pool.ready == 0) {
      pool.misses++;
      return false;
    }
    pool.ready--;
    pool.claimed++;
    refill(tool.name(), pool);
    return true;
  }

  /** Whether {@link #claim} would now find a ready pod; nothing is taken or counted. */
  synchronized boolean hasReady(Launch launch) {
    Pool pool = pools.get(launch.tool().name());
    return pool != null && pool.ready > 0 && servable(launch);
  }

  /** A waiting pod of {@code tool} died or went stale: it is replaced. Whether there was one. */
  synchronized boolean lose(ToolName tool) {
    Pool pool = pools.get(tool);
    if (pool == null || pool.ready == 0) {
      return false;
    }
    pool.ready--;
    refill(tool, pool);
    return true;
  }

  synchronized List<PoolStatus> status() {
    List<PoolStatus> status = new ArrayList<>();
    pools.forEach(
        (tool, pool) ->
            status.add(
                new PoolStatus(
                    tool,
                    latest.apply(tool).map(Tool::version).orElse(0),
                    pool.size,
                    pool.ready,
                    pool.starting,
                    pool.claimed,
                    pool.misses)));
    return status;
  }

  private boolean servable(Launch launch) {
    Tool tool = launch.tool();
    return launch.instance().secretReference().isEmpty()
        && tool.mode() == ToolMode.TASK
        && tool.spec().parallelism().isSingle()
        && tool.spec().retryLimit() == 0
        && latest.apply(tool.name()).map(t -> t.version() == tool.version()).orElse(false);
  }

  // Under the lock: starts as many pods as the pool lacks; each is ready one step later.
  private void refill(ToolName tool, Pool pool) {
    while (pool.ready + pool.starting < pool.size) {
      pool.starting++;
      scheduler.schedule(() -> started(tool), refillDelay.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private synchronized void started(ToolName tool) {
    Pool pool = pools.get(tool);
    if (pool == null || pool.starting == 0) {
      return;
    }
    pool.starting--;
    if (pool.ready < pool.size) {
      pool.ready++;
    }
  }
}
