package dev.toolrun.app.config;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.HttpConfig;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryStorageConfig;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.LeaderLease;
import dev.toolrun.adapter.logfile.FileLogStoreConfig;
import dev.toolrun.adapter.mcp.ToolSecrets;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.MemoryBudget;
import dev.toolrun.application.Retention;
import java.time.Duration;
import java.util.Optional;

/**
 * The whole configuration, parsed and validated: one record per part, each owned by the module it
 * configures.
 *
 * @param generatedToken the API token toolrun made up because none was configured, to be shown once
 *     at startup
 * @param memoryBudget the heap the instance records in memory may take
 * @param mcpSecrets the secret inputs MCP calls get from the server, by tool
 * @param logFiles where whole logs are kept on disk; empty: logs are kept in memory, as {@code
 *     storage} says
 * @param observability metrics and the log format
 * @param leader the Lease on which replicas elect the one that writes; empty: this toolrun is the
 *     only one, and always writes
 * @param leaderPod this replica's own pod, which it marks with its role ({@code leader.pod-name});
 *     empty: no pod is marked
 * @param drain how long a stopping toolrun lets requests in flight finish
 */
public record ToolrunConfig(
    RuntimeMode runtime,
    HttpConfig http,
    Optional<String> generatedToken,
    Capacity capacity,
    Retention retention,
    MemoryBudget memoryBudget,
    InMemoryStorageConfig storage,
    InMemoryRuntimeConfig inMemory,
    KubernetesConfig kubernetes,
    ToolSecrets mcpSecrets,
    Optional<FileLogStoreConfig> logFiles,
    Observability observability,
    Optional<LeaderLease> leader,
    Optional<String> leaderPod,
    Duration drain) {

  public ToolrunConfig {
    requireNonNull(runtime, "runtime is null");
    requireNonNull(http, "http is null");
    requireNonNull(generatedToken, "generatedToken is null");
    requireNonNull(capacity, "capacity is null");
    requireNonNull(retention, "retention is null");
    requireNonNull(memoryBudget, "memoryBudget is null");
    requireNonNull(storage, "storage is null");
    requireNonNull(inMemory, "inMemory is null");
    requireNonNull(kubernetes, "kubernetes is null");
    requireNonNull(mcpSecrets, "mcpSecrets is null");
    requireNonNull(logFiles, "logFiles is null");
    requireNonNull(observability, "observability is null");
    requireNonNull(leader, "leader is null");
    requireNonNull(leaderPod, "leaderPod is null");
    requireNonNull(drain, "drain is null");
  }
}
