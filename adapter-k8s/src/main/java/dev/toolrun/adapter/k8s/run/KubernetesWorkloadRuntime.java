package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.client.ApiErrors;
import dev.toolrun.adapter.k8s.client.ApiRateLimiter;
import dev.toolrun.adapter.k8s.client.Informers;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.adapter.k8s.job.WorkloadObjects;
import dev.toolrun.adapter.k8s.job.WorkloadWriter;
import dev.toolrun.adapter.k8s.service.ApiServerProxyChannel;
import dev.toolrun.adapter.k8s.service.DirectPodChannel;
import dev.toolrun.adapter.k8s.service.ServiceChannel;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.error.UpstreamFailedException;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.RuntimeCapabilities;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs instances as Kubernetes Jobs and follows them with label-filtered informers on Jobs and
 * pods: no polling. Every change to a Job or pod of an instance re-reads both from the informer
 * caches, maps them to a state with {@link JobStatusMapper}, and reports what is new. All of that
 * happens on one event thread, so an instance's reports are ordered.
 *
 * <p>At the end of a run: report the outcome, let the log streams drain, mark the log complete,
 * then delete or keep the objects as the cleanup policy says.
 */
public final class KubernetesWorkloadRuntime implements WorkloadRuntime, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWorkloadRuntime.class);
  private static final String BY_INSTANCE = "instance";
  private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CONFIG_ERROR_GRACE = Duration.ofSeconds(60);
  /** How long an outcome waits for the pod cache to show the pods that decided it. */
  private static final Duration POD_CATCH_UP = Duration.ofSeconds(3);
  private static final Duration POD_CATCH_UP_STEP = Duration.ofMillis(50);
  private static final Pattern MINOR_VERSION = Pattern.compile("(\\d+)");

  private final KubernetesClient client;
  private final KubernetesConfig config;
  private final LogStore logs;
  private final Clock clock;
  private final ApiRateLimiter limiter;
  private final JobStatusMapper mapper;
  private final ResultReader results = new ResultReader();
  private final ScheduledExecutorService events;
  private final LogFollower followers;
  private final WorkloadWriter writer;
  private final Function<InstanceId, Optional<OwnerReference>> owners;
  private final ServiceChannel channel;
  private final Map<InstanceId, Run> runs = new ConcurrentHashMap<>();

  private volatile JobFactory factory;
  private volatile RecordRunProgressUseCase listener;
  private volatile SharedIndexInformer<Job> jobs;
  private volatile SharedIndexInformer<Pod> pods;

  /**
   * A runtime in {@code cluster}'s namespace that keeps instances' output in {@code logs}. The
   * caller owns the cluster connection and closes it after this runtime.
   */
  public KubernetesWorkloadRuntime(KubernetesCluster cluster, KubernetesConfig config, LogStore logs, Clock clock) {
    this(cluster, config, logs, clock, id -> Optional.empty());
  }

  /**
   * A runtime whose Jobs are owned by their instance's record, as {@code owners} names it: deleting
   * a record then deletes its Job, and with it the pods, ConfigMap and Secret.
   */
  public KubernetesWorkloadRuntime(
      KubernetesCluster cluster,
      KubernetesConfig config,
      LogStore logs,
      Clock clock,
      Function<InstanceId, Optional<OwnerReference>> owners) {
    this.owners = requireNonNull(owners, "owners is null");
    this.client = requireNonNull(cluster, "cluster is null").client();
    this.config = requireNonNull(config, "config is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.limiter = cluster.limiter();
    this.mapper =
        new JobStatusMapper(config.imagePullGrace(), config.unschedulableGrace(), CONFIG_ERROR_GRACE);
    this.events =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "toolrun-k8s-events");
              t.setDaemon(true);
              return t;
            });
    this.followers = new LogFollower(client, config.namespace(), logs, limiter, events);
    this.channel =
        switch (config.serviceAccess()) {
          case API_SERVER_PROXY -> new ApiServerProxyChannel(cluster, new ApiRateLimiter(config.serviceProxyRateLimit()));
          case DIRECT -> new DirectPodChannel();
        };
    this.writer =
        new WorkloadWriter(
            client,
            config.namespace(),
            limiter,
            name -> Optional.ofNullable(jobs).map(j -> j.getIndexer().getByKey(config.namespace() + "/" + name)));
  }

  @Override
  public RuntimeCapabilities capabilities() {
    return new RuntimeCapabilities(
        "kubernetes", true, true, false, false, true, true, config.restrictedPodSecurity(), Set.of(Protocol.HTTP));
  }

  /**
   * Learns the server's version, starts the informers and waits until their caches are filled,
   * then looks at every Job already there: runs that ended while toolrun was away are reported,
   * runs still going are followed again.
   *
   * @throws RuntimeUnavailableException when the API server cannot be reached in time
   */
  @Override
  public void observe(RecordRunProgressUseCase progress) {
    this.listener = requireNonNull(progress, "progress is null");
    this.factory = new JobFactory(config, supportsSeccompField(serverVersion()));
    ResourceEventHandler<HasMetadata> onChange =
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(HasMetadata obj) {
            changed(obj);
          }

          @Override
          public void onUpdate(HasMetadata oldObj, HasMetadata newObj) {
            changed(newObj);
          }

          @Override
          public void onDelete(HasMetadata obj, boolean deletedFinalStateUnknown) {
            changed(obj);
          }
        };
    SharedIndexInformer<Pod> podInformer =
        client.pods().inNamespace(config.namespace()).withLabels(WorkloadLabels.SELECTOR).withLimit(Informers.LIST_PAGE).runnableInformer(0);
    podInformer.addIndexers(
        Map.of(BY_INSTANCE, pod -> WorkloadLabels.instanceOf(pod.getMetadata().getLabels()).map(id -> List.of(id.value())).orElse(List.of())));
    podInformer.addEventHandler(onChange);
    // Keep watching through outages: the informer relists after a 410 or a dropped watch.
    podInformer.exceptionHandler(Informers::retry);
    SharedIndexInformer<Job> jobInformer =
        client.batch().v1().jobs().inNamespace(config.namespace()).withLabels(WorkloadLabels.SELECTOR).withLimit(Informers.LIST_PAGE).runnableInformer(0);
    jobInformer.addEventHandler(onChange);
    jobInformer.exceptionHandler(Informers::retry);
    this.pods = podInformer;
    this.jobs = jobInformer;
    try {
      CompletableFuture.allOf(
              podInformer.start().toCompletableFuture(), jobInformer.start().toCompletableFuture())
          .get(SYNC_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Optional<KubernetesClientException> refused = Informers.refusal(e);
      if (refused.isPresent()) {
        throw ApiErrors.translate(
            refused.get(), "listing Jobs and pods in namespace " + config.namespace(), String.valueOf(client.getMasterUrl()));
      }
      throw new RuntimeUnavailableException(
          "could not list Jobs and pods in namespace %s within %d s: %s"
              .formatted(config.namespace(), SYNC_TIMEOUT.toSeconds(), e.getCause() == null ? e : e.getCause()),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RuntimeUnavailableException("interrupted while starting the informers", e);
    }
    events.execute(
        () ->
            jobInformer.getStore().list().forEach(
                job -> WorkloadLabels.instanceOf(job.getMetadata().getLabels()).ifPresent(this::reconcile)));
  }

  private VersionInfo serverVersion() {
    try {
      return client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      throw ApiErrors.translate(e, "reading the server version", String.valueOf(client.getMasterUrl()));
    }
  }

  /** The {@code seccompProfile} field exists from Kubernetes 1.19 on. */
  static boolean supportsSeccompField(VersionInfo version) {
    Matcher minor = MINOR_VERSION.matcher(Optional.ofNullable(version.getMinor()).orElse(""));
    int major = Integer.parseInt(Optional.ofNullable(version.getMajor()).filter(m -> m.matches("\\d+")).orElse("1"));
    return major > 1 || (minor.find() && Integer.parseInt(minor.group(1)) >= 19);
  }

  private void changed(HasMetadata obj) {
    WorkloadLabels.instanceOf(obj.getMetadata().getLabels())
        .ifPresent(id -> events.execute(() -> reconcile(id)));
  }

  @Override
  public void launch(Launch launch) {
    JobFactory jobFactory = factory;
    if (jobFactory == null) {
      throw new IllegalStateException("observe() must be called before the first launch");
    }
    InstanceId id = launch.instance().id();
    WorkloadObjects objects = jobFactory.desired(launch);
    owners.apply(id).ifPresent(owner -> objects.job().getMetadata().setOwnerReferences(List.of(owner)));
    runs.computeIfAbsent(id, ignored -> new Run()).launched = true;
    writer.create(id, objects);
    events.execute(() -> reconcile(id));
  }

  @Override
  public void terminate(InstanceId id) {
    Run run = runs.computeIfAbsent(id, ignored -> new Run());
    run.terminated = true;
    followers.forget(id);
    logs.complete(id);
    writer.delete(id);
    // Forgets the run once its Job has left the cache (at once if it never had one).
    events.execute(() -> reconcile(id));
  }

  /** {@inheritDoc} From the informer's cache: a Job named for the instance exists. */
  @Override
  public boolean hasWorkload(InstanceId id) {
    SharedIndexInformer<Job> jobInformer = jobs;
    return jobInformer != null
        && jobInformer.getIndexer().getByKey(config.namespace() + "/" + WorkloadLabels.objectName(id)) != null;
  }

  @Override
  public CompletionStage<ServiceResponse> send(InstanceId id, int port, ServiceRequest request, Duration timeout) {
    SharedIndexInformer<Pod> podInformer = pods;
    Optional<Pod> pod =
        podInformer == null
            ? Optional.empty()
            : podInformer.getIndexer().byIndex(BY_INSTANCE, id.value()).stream()
                .filter(KubernetesWorkloadRuntime::isRunning)
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
        pods.getIndexer().byIndex(BY_INSTANCE, id.value()).stream()
            .filter(KubernetesWorkloadRuntime::isRunning)
            .map(p -> p.getMetadata().getName())
            .toList();
    writer.deletePods(id, running);
  }

  private static boolean isRunning(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() == null
        && pod.getStatus() != null
        && "Running".equals(pod.getStatus().getPhase())
        && pod.getStatus().getContainerStatuses() != null
        && pod.getStatus().getContainerStatuses().stream()
            .anyMatch(s -> JobFactory.CONTAINER.equals(s.getName()) && s.getState() != null && s.getState().getRunning() != null);
  }

  // Runs on the event thread only.
  private void reconcile(InstanceId id) {
    Job job = jobs.getIndexer().getByKey(config.namespace() + "/" + WorkloadLabels.objectName(id));
    // A run is remembered while its Job is in the cache, and no longer: events about its last
    // pods, which may outlive the Job, must not bring an ended run back to life (it would follow
    // its logs and clean up once more).
    Run run = job == null ? runs.get(id) : runs.computeIfAbsent(id, ignored -> new Run());
    if (run == null) {
      return;
    }
    if (run.terminated || run.finished || run.orphan) {
      if (job == null) {
        runs.remove(id);
      }
      return;
    }
    Instant now = clock.instant();
    if (job == null) {
      if (run.seenJob) {
        run.finished = true;
        end(
            id,
            RunProgress.failed(
                id,
                new FailureReason.RuntimeError(
                    "the Job of this instance was deleted outside toolrun before the run ended"),
                Optional.empty(),
                now),
            Optional.empty(),
            false);
      }
      return;
    }
    run.seenJob = true;
    List<Pod> instancePods = pods.getIndexer().byIndex(BY_INSTANCE, id.value());
    followLogs(id, job, instancePods);
    JobObservation observation = mapper.observe(job, instancePods, now);
    if (!observation.isTerminal()) {
      if (observation.state() != run.lastReported) {
        Reported reported = report(RunProgress.reached(id, observation.state(), now));
        if (reported == Reported.ORPHAN) {
          leaveAlone(id, run);
          return;
        }
        if (reported == Reported.STORED) {
          run.lastReported = observation.state();
        }
      }
      mapper
          .nextDeadline(instancePods, now)
          .ifPresent(
              at ->
                  events.schedule(
                      () -> reconcile(id),
                      Math.max(0, Duration.between(now, at).toMillis()) + 10,
                      TimeUnit.MILLISECONDS));
      return;
    }
    if (!podsCaughtUp(job, instancePods) && run.waitForPods(now)) {
      // The Jobs watch can be ahead of the pods watch: the pods that decided the outcome carry the
      // result and the logs, so look again shortly (a pod event also brings us back here).
      events.schedule(() -> reconcile(id), POD_CATCH_UP_STEP.toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    run.finished = true;
    boolean succeeded = observation.state() == InstanceState.SUCCEEDED;
    run.lastTerminalSucceeded = succeeded;
    RunProgress outcome =
        succeeded
            ? RunProgress.succeeded(id, results.read(observation.terminationMessage()), now)
            : new RunProgress(id, observation.state(), now, observation.failure().map(f -> withLastLines(id, f)), observation.exitCode(), Optional.empty());
    end(id, outcome, Optional.of(cleanupPolicy(job)), !isFinished(job) && !succeeded);
  }

  /**
   * Whether the pod cache has seen every pod the Job counts as finished, with its final state: the
   * Job controller updates the Job only after the pods, but our two watches may deliver in any
   * order.
   */
  private static boolean podsCaughtUp(Job job, List<Pod> instancePods) {
    int finished =
        job.getStatus() == null
            ? 0
            : Optional.ofNullable(job.getStatus().getSucceeded()).orElse(0) + Optional.ofNullable(job.getStatus().getFailed()).orElse(0);
    long seen =
        instancePods.stream()
            .filter(p -> p.getStatus() != null && ("Succeeded".equals(p.getStatus().getPhase()) || "Failed".equals(p.getStatus().getPhase())))
            .count();
    return seen >= finished;
  }

  /** A crash loop quotes the last lines the service wrote. */
  private FailureReason withLastLines(InstanceId id, FailureReason reason) {
    return reason instanceof FailureReason.CrashLoop crash
        ? new FailureReason.CrashLoop(crash.lastExitCode(), followers.tail(id))
        : reason;
  }

  private static boolean isFinished(Job job) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
  }

  private CleanupPolicy cleanupPolicy(Job job) {
    String annotated =
        Optional.ofNullable(job.getMetadata().getAnnotations()).map(a -> a.get(JobFactory.CLEANUP_ANNOTATION)).orElse(null);
    try {
      return annotated == null ? config.defaultCleanupPolicy() : CleanupPolicy.valueOf(annotated);
    } catch (IllegalArgumentException unknown) {
      return config.defaultCleanupPolicy();
    }
  }

  private void followLogs(InstanceId id, Job job, List<Pod> instancePods) {
    boolean parallel =
        Optional.ofNullable(job.getSpec().getCompletions()).orElse(1) > 1
            || Optional.ofNullable(job.getSpec().getParallelism()).orElse(1) > 1;
    for (Pod pod : instancePods) {
      String name = pod.getMetadata().getName();
      boolean started =
          pod.getStatus() != null
              && pod.getStatus().getContainerStatuses() != null
              && pod.getStatus().getContainerStatuses().stream()
                  .anyMatch(
                      s ->
                          JobFactory.CONTAINER.equals(s.getName())
                              && s.getState() != null
                              && (s.getState().getRunning() != null || s.getState().getTerminated() != null));
      if (started && !followers.follows(name)) {
        String prefix = parallel ? "[" + name.substring(name.lastIndexOf('-') + 1) + "] " : "";
        followers.follow(id, name, prefix);
      }
    }
  }

  /**
   * Ends a run in this order: let its output drain (bounded) and close its log, so the log tail
   * kept with the record is whole; report the outcome, until it is stored (it is retried while the
   * records cannot be written); only then clean up, so no Job disappears before its outcome is
   * kept. A run toolrun ended while its Job still ran (an image that cannot be pulled) and whose
   * objects are kept is stopped by shortening its deadline: its pods go, its objects stay.
   */
  private void end(InstanceId id, RunProgress outcome, Optional<CleanupPolicy> policy, boolean stopKeptJob) {
    followers
        .allDone(id)
        .orTimeout(DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .whenCompleteAsync(
            (done, timeout) -> {
              if (timeout != null) {
                logs.append(id, List.of("[toolrun: the output did not finish draining within " + DRAIN_TIMEOUT.toSeconds() + " s]"));
              }
              logs.complete(id);
              followers.forget(id);
              deliver(id, outcome, policy, stopKeptJob, 0);
            },
            events);
  }

  private void deliver(InstanceId id, RunProgress outcome, Optional<CleanupPolicy> policy, boolean stopKeptJob, int attempt) {
    switch (report(outcome)) {
      case STORED -> policy.ifPresent(p -> cleanUp(id, p, stopKeptJob, 0));
      case RETRY ->
          events.schedule(() -> deliver(id, outcome, policy, stopKeptJob, attempt + 1), Math.min(30, 1L << Math.min(attempt, 5)), TimeUnit.SECONDS);
      case ORPHAN -> leaveAlone(id, runs.computeIfAbsent(id, ignored -> new Run()));
    }
  }

  /**
   * A Job with toolrun's labels and no record (deleted by hand, or made by another toolrun):
   * reported once, never adopted nor deleted.
   */
  private void leaveAlone(InstanceId id, Run run) {
    run.orphan = true;
    followers.forget(id);
    logs.delete(id);
    LOG.warn(
        "orphaned workload: Job {} in namespace {} carries toolrun's labels but instance {} has no record; "
            + "left as it is (delete it by hand if it is not wanted)",
        WorkloadLabels.objectName(id),
        config.namespace(),
        id);
  }

  private void cleanUp(InstanceId id, CleanupPolicy policy, boolean stopKeptJob, int attempt) {
    Run run = runs.get(id);
    boolean succeeded = run != null && run.lastTerminalSucceeded;
    try {
      if (policy.deletes(succeeded)) {
        writer.delete(id);
      } else if (stopKeptJob) {
        writer.stopKept(id);
      }
    } catch (RuntimeUnavailableException e) {
      if (attempt < 10) {
        events.schedule(() -> cleanUp(id, policy, stopKeptJob, attempt + 1), 1L << Math.min(attempt, 5), TimeUnit.SECONDS);
      } else {
        LOG.error("gave up cleaning up instance {}: {}", id, e.getMessage());
      }
    } catch (RuntimeException e) {
      LOG.error("could not clean up instance {}", id, e);
    }
  }

  /** What became of a report. */
  private enum Reported {
    STORED,
    /** The records cannot be written now: report again later. */
    RETRY,
    /** No record has this instance: leave its workload alone. */
    ORPHAN
  }

  private Reported report(RunProgress progress) {
    try {
      listener.record(progress);
      return Reported.STORED;
    } catch (InstanceNotFoundException e) {
      return Reported.ORPHAN;
    } catch (RuntimeUnavailableException e) {
      LOG.warn("could not record {} of instance {} yet, retrying: {}", progress.observed(), progress.id(), e.getMessage());
      return Reported.RETRY;
    } catch (RuntimeException e) {
      LOG.error("recording {} of instance {} failed", progress.observed(), progress.id(), e);
      return Reported.STORED;
    }
  }

  @Override
  public void close() {
    SharedIndexInformer<Job> j = jobs;
    SharedIndexInformer<Pod> p = pods;
    if (j != null) {
      j.close();
    }
    if (p != null) {
      p.close();
    }
    followers.close();
    channel.close();
    events.shutdownNow();
  }

  /** What the runtime remembers of one instance between events; touched on the event thread. */
  private static final class Run {
    volatile boolean launched;
    volatile boolean terminated;
    boolean seenJob;
    boolean orphan;
    boolean finished;
    boolean lastTerminalSucceeded;
    InstanceState lastReported;
    Instant outcomeSeenAt;

    /** Whether to keep waiting for the pods of an outcome first seen now or earlier. */
    boolean waitForPods(Instant now) {
      if (outcomeSeenAt == null) {
        outcomeSeenAt = now;
      }
      return Duration.between(outcomeSeenAt, now).compareTo(POD_CATCH_UP) < 0;
    }
  }
}
