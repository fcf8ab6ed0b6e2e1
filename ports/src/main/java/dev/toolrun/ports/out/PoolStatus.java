package dev.toolrun.ports.out;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.tool.ToolName;

/**
 * One tool's warm pool as the runtime sees it now.
 *
 * @param toolVersion the version its pods are made for: the tool's latest
 * @param size how many waiting pods the pool keeps
 * @param ready pods waiting for a run and able to take one now
 * @param starting pods made for the pool that are not ready yet
 * @param claimed runs that took a pool pod since toolrun started
 * @param misses launches of the tool that found no ready pod and started cold since toolrun started
 */
public record PoolStatus(
    ToolName tool, int toolVersion, int size, int ready, int starting, long claimed, long misses) {
  public PoolStatus {
    requireNonNull(tool, "tool is null");
  }

  /** The share of launches that found a ready pod; 0 before the first launch. */
  public double hitRatio() {
    long launches = claimed + misses;
    return launches == 0 ? 0 : (double) claimed / launches;
  }
}
