package dev.toolrun.adapter.http.dto;

import java.util.List;

/** What the active runtime can do, and toolrun's admission limits. */
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
    int maxConcurrentTasks) {}
