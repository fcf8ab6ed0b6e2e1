package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.adapter.k8s.job.WorkloadObjects;
import dev.toolrun.adapter.k8s.job.WorkloadWriter;
import dev.toolrun.adapter.k8s.pool.WarmPools;
import dev.toolrun.adapter.k8s.service.ServiceChannel;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.error.UpstreamFailedException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.PoolStatus;
import dev.toolrun.ports.out.RuntimeCapabilities;
import dev.toolrun.ports.out.RuntimeCapabilities.Capability;
import dev.toolrun.ports.out.RuntimeOutage;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Runs instances as Kubernetes Jobs: the {@link WorkloadRuntime} port over the parts that do the
 * work. {@link JobFactory} builds an instance's objects and {@link WorkloadWriter} creates and
 * deletes them; the {@link WorkloadCache}'s informers follow Jobs and pods without polling, and the
 * {@link RunReconciler} turns what they show into reports; a {@link ServiceChannel} carries
 * requests to service instances. The parts are given to it ({@code KubernetesAdapter} builds them),
 * and closing the runtime closes them.
 */
public final class KubernetesWorkloadRuntime implements WorkloadRuntime, AutoCloseable {
  // What must be done before the runs are observed and the records read: moving the records an
  // older toolrun kept. Here, since only the replica that writes observes, once it leads.
  private final Runnable beforeObserving;
  private final KubernetesConfig config;
  private final KubernetesCluster cluster;
  private final WorkloadCache cache;
  private final RunReconciler reconciler;
  private final WorkloadWriter writer;
  private final ServiceChannel channel;
  private final Function<InstanceId, Optional<OwnerReference>> owners;
  private final WarmPools pools;

  /** Made by {@link #observe}: which fields a Job may use depends on the server's version. */
  private volatile JobFactory factory;

  /**
   * @param owners the owner of each instance's Job, if it has one: deleting the owner (the
   *     instance's record) then deletes the Job, and with it the pods, ConfigMap and Secret
   */
  public KubernetesWorkloadRuntime(
      KubernetesConfig config,
      KubernetesCluster cluster,
      WorkloadCache cache,
      RunReconciler reconciler,
      WorkloadWriter writer,
      ServiceChannel channel,
      Function<InstanceId, Optional<OwnerReference>> owners,
      WarmPools pools,
      Runnable beforeObserving) {
    this.beforeObserving = requireNonNull(beforeObserving, "beforeObserving is null");
    this.config = requireNonNull(config, "config is null");
    this.cluster = requireNonNull(cluster, "cluster is null");
    this.cache = requireNonNull(cache, "cache is null");
    this.reconciler = requireNonNull(reconciler, "reconciler is null");
    this.writer = requireNonNull(writer, "writer is null");
    this.channel = requireNonNull(channel, "channel is null");
    this.owners = requireNonNull(owners, "owners is null");
    this.pools = requireNonNull(pools, "pools is null");
  }

  @Override
  public Optional<RuntimeOutage> outage() {
    return cluster.reachability().outage();
  }

  @Override
  public RuntimeCapabilities capabilities() {
    return new RuntimeCapabilities(
            "kubernetes",
            EnumSet.of(
                Capability.SCALING,
                Capability.HEALTH_CHECKS,
                Capability.PERSISTENT_STORAGE,
                Capability.NETWORK_ISOLATION),
            Set.of(Protocol.HTTP))
        .with(Capability.RESTRICTED_POD_SECURITY, config.restrictedPodSecurity());
  }

  /**
   * Learns the server's version, starts the informers and waits until their caches are filled, then
   * looks at every Job already there: runs that ended while toolrun was away are reported, runs
   * still going are followed again.
   *
   * @throws RuntimeUnavailableException when the API server cannot be reached in time
   */
  @Override
  public void observe(RecordRunProgressUseCase progress) {
    requireNonNull(progress, "progress is null");
    beforeObserving.run();
    this.factory = JobFactory.forServer(config, cluster.serverVersion());
    reconciler.start(progress);
    pools.start(factory, reconciler::runnerEnded);
  }

  @Override
  public void checkFits(Launch launch) {
    JobFactory.checkFits(launch);
  }

  @Override
  public boolean wouldStartWarm(Launch launch) {
    return pools.hasReady(launch);
  }

  @Override
  public List<PoolStatus> pools() {
    return pools.status();
  }

  @Override
  public void resizePool(dev.toolrun.domain.tool.ToolName tool, int size) {
    pools.resize(tool, size);
  }

  @Override
  public WorkloadStart launch(Launch launch) {
    JobFactory jobFactory = factory;
    if (jobFactory == null) {
      throw new IllegalStateException("observe() must be called before the first launch");
    }
    InstanceId id = launch.instance().id();
    // A launch repeated after a restart finds its Job and adopts it: a claimed pool Job as it is,
    // a cold one through the create below (409, same instance).
    Optional<String> existing = cache.job(id).map(job -> job.getMetadata().getName());
    if (existing.isPresent() && !existing.get().equals(WorkloadLabels.objectName(id))) {
      reconciler.changed(id);
      return WorkloadStart.WARM;
    }
    Optional<OwnerReference> owner = owners.apply(id);
    if (existing.isEmpty() && pools.claim(launch, owner)) {
      reconciler.changed(id);
      return WorkloadStart.WARM;
    }
    WorkloadObjects objects = jobFactory.desired(launch);
    owner.ifPresent(o -> objects.job().getMetadata().setOwnerReferences(List.of(o)));
    writer.create(id, objects);
    reconciler.changed(id);
    return WorkloadStart.COLD;
  }

  @Override
  public void terminate(InstanceId id) {
    reconciler.terminate(id);
    writer.delete(id);
    // Forgets the run once its Job has left the cache (at once if it never had one).
    reconciler.changed(id);
  }

  /** {@inheritDoc} From the informer's cache: a Job of the instance (cold or claimed) exists. */
  @Override
  public boolean hasWorkload(InstanceId id) {
    return cache.job(id).isPresent();
  }

  @Override
  public CompletionStage<ServiceResponse> send(
      InstanceId id, int port, ServiceRequest request, Duration timeout) {
    Optional<Pod> pod =
        cache.pods(id).stream()
            .filter(WorkloadStatus::isRunning)
            .max(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp()));
    if (pod.isEmpty()) {
      return CompletableFuture.failedFuture(
          new UpstreamFailedException(id, "no pod of this instance is running", null));
    }
    return channel.send(id, pod.get(), port, request, timeout);
  }

  /**
   * Deletes the instance's running pod; the Job controller starts a new one. A pod that already
   * died is being replaced by the Job controller, so there is nothing to do.
   */
  @Override
  public void restart(InstanceId id) {
    List<String> running =
        cache.pods(id).stream()
            .filter(WorkloadStatus::isRunning)
            .map(p -> p.getMetadata().getName())
            .toList();
    writer.deletePods(id, running);
  }

  /** Stops the informers, the log streams and the event thread; the cluster stays open. */
  @Override
  public void close() {
    pools.close();
    cache.close();
    reconciler.close();
    channel.close();
  }
}
