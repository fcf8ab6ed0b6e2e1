package dev.toolrun.app;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.HttpApi;
import dev.toolrun.adapter.k8s.KubernetesDoor;
import dev.toolrun.adapter.k8s.KubernetesLeaderElection;
import dev.toolrun.adapter.k8s.PodRoleLabel;
import dev.toolrun.adapter.mcp.McpEndpoint;
import dev.toolrun.app.leader.WriterRole;
import dev.toolrun.application.Toolrun;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Owns the running service, as one {@link Lifecycle} in this order: Vert.x, the log store, the
 * core's executor, the runtime adapter (the one object that owns its runtime, repositories and
 * connection), the core, the ToolRun door (with ToolRun records), the MCP endpoint, the HTTP API,
 * the MCP server behind the endpoint (built in the background) and last the writer role.
 *
 * <p>A sole toolrun starts its core before the HTTP API, so that no request is answered before the
 * runtime is ready. An elected one starts its HTTP API as a standby (ready, writes refused) and its
 * core only once the election makes it the leader ({@link WriterRole}), as a restarted toolrun
 * would start.
 *
 * <p>It stops in the reverse order. First the writer role refuses writes (503 with {@code
 * Retry-After}), readiness turns 503 and a leader's pod is marked a standby; then the HTTP API
 * stops listening and lets requests in flight finish for up to the drain timeout; the core and the
 * runtime adapter stop, writing what they still hold, and the adapter hands the lease over last,
 * once nothing more will be written; the log store closes once nothing writes to it any more (the
 * runtime that follows runs, the core's executor that sweeps logs away), and Vert.x closes last.
 */
final class ToolrunServer {
  private static final long EXECUTOR_GRACE_SECONDS = 5;

  private final Lifecycle lifecycle;
  private volatile int port = -1;

  /**
   * @param logStore closes the log store's open files (syncing them); does nothing for one that
   *     holds none
   * @param runtimeAdapter closes everything the runtime adapter opened (its runtime, its
   *     repositories, its leader election, its cluster connection), in its own order
   * @param election the election of the leader among replicas; empty: this toolrun is the only one
   * @param label the role label of this replica's own pod; empty: no pod is marked
   * @param doors the kubectl doors (a Tool applied is registered, a ToolRun created is launched),
   *     started once the core is and stopped before it
   * @param drain how long requests in flight may take to finish when toolrun stops
   */
  ToolrunServer(
      Vertx vertx,
      AutoCloseable logStore,
      ScheduledExecutorService coreExecutor,
      AutoCloseable runtimeAdapter,
      Toolrun application,
      McpEndpoint mcp,
      HttpApi api,
      WriterRole role,
      Optional<KubernetesLeaderElection> election,
      Optional<PodRoleLabel> label,
      List<KubernetesDoor> doors,
      Duration drain) {
    requireNonNull(vertx, "vertx is null");
    requireNonNull(logStore, "logStore is null");
    requireNonNull(coreExecutor, "coreExecutor is null");
    requireNonNull(runtimeAdapter, "runtimeAdapter is null");
    requireNonNull(application, "application is null");
    requireNonNull(mcp, "mcp is null");
    requireNonNull(api, "api is null");
    requireNonNull(role, "role is null");
    requireNonNull(election, "election is null");
    requireNonNull(label, "label is null");
    requireNonNull(doors, "doors is null");
    requireNonNull(drain, "drain is null");
    Lifecycle.Start startCore = election.isEmpty() ? application::start : () -> {};
    this.lifecycle =
        Lifecycle.builder()
            .add("Vert.x", () -> vertx.close().await())
            .add("the log store", logStore)
            .add("the core's executor", () -> shutDown(coreExecutor))
            .add("the runtime adapter", runtimeAdapter)
            // Given the executor above, the core closes nothing of its own; closing it is still its
            // owner's part.
            .add("the application core", startCore, application)
            // After the core: they register, launch and cancel through it (only while it writes).
            .add(
                "the kubectl doors",
                () -> doors.forEach(KubernetesDoor::start),
                () -> doors.forEach(KubernetesDoor::close))
            // Closed after the HTTP API has drained, as before; its start comes after the API's.
            .add("the MCP endpoint", mcp)
            .add("the HTTP API", () -> port = api.start(), () -> api.stop(drain))
            // Built in the background once the API listens, off the way to the first answer (the
            // MCP SDK and Reactor are some 0.3 s of a start: docs/benchmarks.md, figure 6); a first
            // request to /mcp that comes before it is built waits for it.
            .add("the MCP server", mcp::start, () -> {})
            .add(
                "the writer role",
                () -> election.ifPresent(e -> e.start(role.whenLeading(application::start, label))),
                role::stopping)
            .build();
  }

  /** Starts everything; returns the port the API listens on. */
  int start() {
    lifecycle.start();
    return port;
  }

  /** Stops everything, the API first; idempotent. */
  void stop() {
    lifecycle.stop();
  }

  private static void shutDown(ScheduledExecutorService executor) throws InterruptedException {
    executor.shutdown();
    if (!executor.awaitTermination(EXECUTOR_GRACE_SECONDS, TimeUnit.SECONDS)) {
      executor.shutdownNow();
    }
  }
}
