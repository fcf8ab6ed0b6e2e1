package dev.toolrun.adapter.http.dto;

import java.util.List;

/** What the active runtime can do, its warm pools, and toolrun's admission limits. */
public record CapabilitiesResponse(
    String runtime,
    boolean scaling,
    boolean healthChecks,
    boolean metrics,
    boolean hotReload,
    boolean persistentStorage,
    boolean networkIsolation,
    boolean restrictedPodSecurity,
    List<String> protocols,
    int maxConcurrentInstances,
    int maxConcurrentTasks,
    List<PoolDto> pools) {

  /** A tool's warm pool now, and since toolrun started. */
  public record PoolDto(
      String tool,
      int toolVersion,
      int size,
      int ready,
      int starting,
      long claimed,
      long misses,
      double hitRatio) {}
}
