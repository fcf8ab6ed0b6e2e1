package dev.toolrun.adapter.k8s;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.catalog.KubernetesToolDoor;
import dev.toolrun.adapter.k8s.client.ApiMetrics;
import dev.toolrun.adapter.k8s.client.ApiRateLimiter;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.adapter.k8s.job.WorkloadWriter;
import dev.toolrun.adapter.k8s.pool.WarmPools;
import dev.toolrun.adapter.k8s.record.KubernetesInstanceRepository;
import dev.toolrun.adapter.k8s.record.KubernetesToolRepository;
import dev.toolrun.adapter.k8s.record.RecordMigration;
import dev.toolrun.adapter.k8s.run.JobStatusMapper;
import dev.toolrun.adapter.k8s.run.KubernetesWorkloadRuntime;
import dev.toolrun.adapter.k8s.run.LogFollower;
import dev.toolrun.adapter.k8s.run.ProgressReporter;
import dev.toolrun.adapter.k8s.run.ResultReader;
import dev.toolrun.adapter.k8s.run.RunCompletion;
import dev.toolrun.adapter.k8s.run.RunReconciler;
import dev.toolrun.adapter.k8s.run.WorkloadCache;
import dev.toolrun.adapter.k8s.runrequest.RunRequests;
import dev.toolrun.adapter.k8s.service.ApiServerProxyChannel;
import dev.toolrun.adapter.k8s.service.DirectPodChannel;
import dev.toolrun.adapter.k8s.service.ServiceChannel;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Leadership;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * toolrun on a Kubernetes namespace, without Guice: the tool and instance repositories (records
 * kept as Tool and ToolRun resources, or as ConfigMaps: {@link KubernetesConfig#records()}) and the
 * runtime that runs instances as Jobs, over one connection to the cluster.
 *
 * <pre>{@code
 * try (KubernetesAdapter kubernetes =
 *     KubernetesAdapter.connect(KubernetesConfig.defaults(), logs, Clock.systemUTC())) {
 *   Toolrun toolrun = Toolrun.builder()
 *       .tools(kubernetes.tools()).instances(kubernetes.instances())
 *       .logs(logs).runtime(kubernetes.runtime()).build();
 *   ...
 * }
 * }</pre>
 *
 * <p>Connecting sends no request yet: the cluster is first contacted when the repositories are
 * first used and when the runtime starts observing. Closing closes the parts in the reverse of the
 * order they were made: its kubectl doors, the runtime, the instance and tool repositories (their
 * informers, their unsaved record steps), a leader election (which hands its lease over), the
 * connection, and the Vert.x instance if the adapter made it.
 */
public final class KubernetesAdapter implements AutoCloseable {
  private final KubernetesCluster cluster;
  private final KubernetesToolRepository tools;
  private final KubernetesInstanceRepository instances;
  private final KubernetesWorkloadRuntime runtime;
  private final Optional<Vertx> ownVertx;
  private final RecordStore records;
  private final Duration queuePositionRefresh;
  private final List<KubernetesDoor> doors = new ArrayList<>();
  private final List<KubernetesLeaderElection> elections = new ArrayList<>();
  private final List<PodRoleLabel> roleLabels = new ArrayList<>();
  private final Clock clock;

  private KubernetesAdapter(
      KubernetesCluster cluster,
      KubernetesConfig config,
      LogStore logs,
      Clock clock,
      Optional<Vertx> ownVertx) {
    this.cluster = cluster;
    this.ownVertx = ownVertx;
    this.records = config.records();
    this.queuePositionRefresh = config.queuePositionRefresh();
    this.clock = clock;
    this.tools = new KubernetesToolRepository(cluster, config.records());
    this.instances = new KubernetesInstanceRepository(cluster, config.records());
    this.runtime = buildRuntime(cluster, config, logs, clock);
  }

  /**
   * Connects as {@code config} says, on a Vert.x instance of its own that closing the adapter
   * closes.
   */
  public static KubernetesAdapter connect(KubernetesConfig config, LogStore logs, Clock clock) {
    Vertx vertx = Vertx.vertx();
    try {
      return connect(config, logs, clock, vertx, Optional.of(vertx));
    } catch (RuntimeException e) {
      vertx.close();
      throw e;
    }
  }

  /**
   * Connects as {@code config} says, on the application's {@code vertx}, so the Kubernetes client
   * adds no event loops of its own; the caller keeps and closes {@code vertx}.
   */
  public static KubernetesAdapter connect(
      KubernetesConfig config, LogStore logs, Clock clock, Vertx vertx) {
    return connect(config, logs, clock, vertx, Optional.empty(), ApiMetrics.NONE);
  }

  /**
   * Connects on the application's {@code vertx}, counting its API requests, rate-limiter waits and
   * informer event lag on {@code registry} (docs/operations.md lists them).
   */
  public static KubernetesAdapter connect(
      KubernetesConfig config, LogStore logs, Clock clock, Vertx vertx, MeterRegistry registry) {
    return connect(config, logs, clock, vertx, Optional.empty(), new ApiMetrics(registry));
  }

  private static KubernetesAdapter connect(
      KubernetesConfig config, LogStore logs, Clock clock, Vertx vertx, Optional<Vertx> own) {
    return connect(config, logs, clock, vertx, own, ApiMetrics.NONE);
  }

  private static KubernetesAdapter connect(
      KubernetesConfig config,
      LogStore logs,
      Clock clock,
      Vertx vertx,
      Optional<Vertx> own,
      ApiMetrics metrics) {
    requireNonNull(config, "config is null");
    requireNonNull(logs, "logs is null");
    requireNonNull(clock, "clock is null");
    requireNonNull(vertx, "vertx is null");
    KubernetesCluster cluster = KubernetesCluster.connect(config, vertx, metrics);
    return new KubernetesAdapter(cluster, config, logs, clock, own);
  }

  /**
   * On {@code client}, which the caller made (with credentials and HTTP client of its choice) and
   * keeps: closing the adapter leaves it open.
   */
  public static KubernetesAdapter using(
      KubernetesClient client, KubernetesConfig config, LogStore logs, Clock clock) {
    requireNonNull(client, "client is null");
    requireNonNull(logs, "logs is null");
    requireNonNull(clock, "clock is null");
    return new KubernetesAdapter(
        KubernetesCluster.using(client, config), config, logs, clock, Optional.empty());
  }

  /** The runtime and its parts; its Jobs are owned by their instances' records. */
  private KubernetesWorkloadRuntime buildRuntime(
      KubernetesCluster cluster, KubernetesConfig config, LogStore logs, Clock clock) {
    ScheduledExecutorService events =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "toolrun-k8s-events");
              t.setDaemon(true);
              return t;
            });
    WorkloadCache cache = new WorkloadCache(cluster);
    // The writer names an instance's Job from the cache, or from the pools while a claimed Job is
    // not there yet under its instance; the pools write through the writer.
    AtomicReference<WarmPools> pools = new AtomicReference<>();
    WorkloadWriter writer =
        new WorkloadWriter(
            cluster.client(),
            config.namespace(),
            cluster.limiter(),
            cache::job,
            id ->
                cache
                    .job(id)
                    .map(job -> job.getMetadata().getName())
                    .or(() -> pools.get().handedOver(id))
                    .orElse(WorkloadLabels.objectName(id)));
    pools.set(
        new WarmPools(
            config, cluster.client(), cluster.limiter(), cache, writer, tools::latest, clock));
    LogFollower followers =
        new LogFollower(
            cluster.client(),
            config.namespace(),
            logs,
            cluster.limiter(),
            events,
            LogFollower.seenIn(cache));
    ProgressReporter reporter = new ProgressReporter();
    RunReconciler reconciler =
        new RunReconciler(
            cache,
            new JobStatusMapper(
                config.imagePullGrace(),
                config.unschedulableGrace(),
                JobStatusMapper.CONFIG_ERROR_GRACE),
            new ResultReader(),
            followers,
            reporter,
            new RunCompletion(followers, writer, logs, reporter, events),
            logs,
            clock,
            events,
            config,
            cluster.metrics().eventLag());
    ServiceChannel channel =
        switch (config.serviceAccess()) {
          case API_SERVER_PROXY ->
              new ApiServerProxyChannel(
                  cluster,
                  new ApiRateLimiter(
                      config.serviceProxyRateLimit(),
                      cluster.metrics().limiterWaits("service-proxy")));
          case DIRECT -> new DirectPodChannel();
        };
    // The records an older toolrun kept as ConfigMaps move when this toolrun starts writing, not
    // when it is built: a replica that stands by must not move them under the leader still
    // writing them (an older version, during a rollout). Before the runs are observed and
    // recovered, so that they find what was moved.
    Runnable migration =
        config.records() == RecordStore.RESOURCES
            ? () -> new RecordMigration(cluster).run()
            : () -> {};
    return new KubernetesWorkloadRuntime(
        config,
        cluster,
        cache,
        reconciler,
        writer,
        channel,
        instances::owner,
        pools.get(),
        migration);
  }

  /**
   * An election of the one replica that writes, over this adapter's connection, on {@code lease};
   * it sends nothing until started. Closing the adapter closes it after the runtime and the records
   * (whose last steps are written then), so that the lease is handed over only once this replica
   * has written all it will.
   */
  public synchronized KubernetesLeaderElection leaderElection(LeaderLease lease) {
    KubernetesLeaderElection election = new KubernetesLeaderElection(cluster, lease);
    elections.add(election);
    return election;
  }

  /**
   * The role label of this replica's own pod {@code pod} (its identity in the Lease), over this
   * adapter's connection; it sends nothing until told. Closing the adapter closes it after the
   * elections.
   */
  public synchronized PodRoleLabel podRoleLabel(String pod) {
    PodRoleLabel label = new PodRoleLabel(cluster, pod);
    roleLabels.add(label);
    return label;
  }

  /**
   * The kubectl door to the catalog over this adapter's connection: a Tool applied without the
   * version label is registered through {@code register}, read by {@code reader} as {@code PUT
   * /v1/tools/{name}} reads its body, by the replica that writes (docs/architecture.md, "Records").
   * Only with the records kept as custom resources; with ConfigMaps there is no Tool to follow, and
   * the door does nothing. It sends nothing until started; closing the adapter closes it first,
   * before the runtime and the records it registers into.
   */
  public synchronized KubernetesDoor toolDoor(
      RegisterToolUseCase register, Leadership leadership, ToolRequestReader reader) {
    KubernetesDoor door =
        switch (records) {
          case RESOURCES -> new KubernetesToolDoor(cluster, register, leadership, reader, clock);
          case CONFIG_MAPS -> KubernetesDoor.NONE;
        };
    doors.add(door);
    return door;
  }

  /**
   * The kubectl door for runs over this adapter's connection and instance records: a ToolRun
   * written by hand is launched, and the delete of an active run's ToolRun cancels it, through the
   * core's use cases, by the replica that writes (docs/architecture.md, "Records"). Only with the
   * records kept as custom resources; with ConfigMaps a ToolRun is no record, and the door does
   * nothing. It reads nothing until started; closing the adapter closes it first, so nothing is
   * launched while the rest closes.
   */
  public synchronized KubernetesDoor toolRunDoor(
      LaunchInstanceUseCase launch,
      CancelInstanceUseCase cancel,
      StopInstanceUseCase stop,
      GetInstanceUseCase get,
      Leadership leadership) {
    KubernetesDoor door =
        switch (records) {
          case RESOURCES ->
              new RunRequests(
                  cluster,
                  instances,
                  launch,
                  cancel,
                  stop,
                  get,
                  leadership,
                  clock,
                  queuePositionRefresh);
          case CONFIG_MAPS -> KubernetesDoor.NONE;
        };
    doors.add(door);
    return door;
  }

  private synchronized void closeDoors() {
    doors.forEach(KubernetesDoor::close);
  }

  private synchronized void closeElections() {
    elections.forEach(KubernetesLeaderElection::close);
    roleLabels.forEach(PodRoleLabel::close);
  }

  public ToolRepository tools() {
    return tools;
  }

  public InstanceRepository instances() {
    return instances;
  }

  public WorkloadRuntime runtime() {
    return runtime;
  }

  /** Closes the parts in the reverse of the order they were made; the first failure is thrown. */
  @Override
  public void close() {
    List<RuntimeException> failures = new ArrayList<>();
    List<Runnable> closing =
        List.of(
            this::closeDoors,
            runtime::close,
            instances::close,
            tools::close,
            this::closeElections,
            cluster::close,
            this::closeVertx);
    for (Runnable step : closing) {
      try {
        step.run();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  private void closeVertx() {
    ownVertx.ifPresent(vertx -> vertx.close().await());
  }
}
