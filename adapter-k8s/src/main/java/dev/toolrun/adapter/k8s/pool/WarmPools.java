package dev.toolrun.adapter.k8s.pool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.client.ApiRateLimiter;
import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.adapter.k8s.job.WorkloadWriter;
import dev.toolrun.adapter.k8s.run.RunnerEnd;
import dev.toolrun.adapter.k8s.run.WorkloadCache;
import dev.toolrun.domain.error.ToolrunException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.PoolStatus;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warm pools of the tools {@link KubernetesConfig#pools()} names: for each, that many pool Jobs
 * ({@link JobFactory#poolJob}) made for the tool's latest version wait for a run. A launch of that
 * version {@linkplain #claim claims} a ready one ({@link PoolClaim}); a launch that finds none is
 * told so and starts cold. In the background, once a second and after every claim, each pool is
 * brought back to its size: pool Jobs that died, waited longer than {@link
 * KubernetesConfig#poolMaxAge()} (their deadline ends them), belong to an older version or another
 * configuration, or to a tool no longer pooled are deleted; missing ones are created. Everything it
 * reads comes from the informers' cache.
 */
public final class WarmPools implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WarmPools.class);
  private static final Duration REFILL_PERIOD = Duration.ofSeconds(1);
  private static final int CLAIM_ATTEMPTS = 3;

  /**
   * How long after its claim a pool Job may stay without an instance: far longer than a claim takes
   * (its delivery gives up after 10 s), so one still without is a leftover of a stopped toolrun.
   */
  private static final Duration CLAIM_LEFTOVER = Duration.ofSeconds(60);

  /** How long a created pool Job is counted while the cache does not show it yet. */
  private static final Duration CREATE_GRACE = Duration.ofSeconds(30);

  private final KubernetesConfig config;
  private final WorkloadCache cache;
  private final WorkloadWriter writer;
  private final PoolClaim claims;
  private final Function<ToolName, Optional<Tool>> latest;
  private final Clock clock;
  private final ScheduledExecutorService refills;
  private final Set<String> taken = ConcurrentHashMap.newKeySet();
  private final Map<String, Pending> created = new ConcurrentHashMap<>();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final Map<InstanceId, String> handedOver = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> hits = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> misses = new ConcurrentHashMap<>();

  /** The deliveries opened ahead into ready pool pods, by pod name (see {@link #prepare}). */
  private final Map<String, PodExec.Session> prepared = new ConcurrentHashMap<>();

  private final AtomicBoolean preparing = new AtomicBoolean();
  private volatile JobFactory factory;
  private volatile Consumer<RunnerEnd> runnerEnds = end -> {};

  /**
   * Each pool's size: the configuration's at first, then as {@link #resize} sets it, until toolrun
   * stops.
   */
  private final Map<String, Integer> sizes = new ConcurrentHashMap<>();

  public WarmPools(
      KubernetesConfig config,
      KubernetesClient client,
      ApiRateLimiter limiter,
      WorkloadCache cache,
      WorkloadWriter writer,
      Function<ToolName, Optional<Tool>> latest,
      Clock clock) {
    this.config = requireNonNull(config, "config is null");
    this.cache = requireNonNull(cache, "cache is null");
    this.writer = requireNonNull(writer, "writer is null");
    this.latest = requireNonNull(latest, "latest is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.claims = new PoolClaim(client, config.namespace(), limiter);
    config
        .pools()
        .forEach(
            (tool, size) -> {
              if (size > 0) {
                sizes.put(tool, size);
              }
            });
    this.refills =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "toolrun-k8s-pools");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Starts keeping the pools, with Jobs made by {@code jobs}; the cache must be filled. Each
   * claimed run's end, as its pool pod's runner reports it through the delivery's exec, goes to
   * {@code ends} (when the exec breaks first, nothing does: the kubelet still tells the end).
   */
  public void start(JobFactory jobs, Consumer<RunnerEnd> ends) {
    this.runnerEnds = requireNonNull(ends, "ends is null");
    this.factory = requireNonNull(jobs, "jobs is null");
    cache.onPoolPodChange(this::schedulePrepare);
    refills.scheduleWithFixedDelay(
        this::refillQuietly, 0, REFILL_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Prepares deliveries soon, on the refill thread, once for any number of calls meanwhile. */
  private void schedulePrepare() {
    if (preparing.compareAndSet(false, true)) {
      try {
        refills.execute(
            () -> {
              preparing.set(false);
              prepareQuietly();
            });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // Closing.
      }
    }
  }

  private void prepareQuietly() {
    try {
      prepare();
    } catch (RuntimeException e) {
      LOG.warn("could not open deliveries into the warm pools: {}", e.getMessage());
    }
  }

  /**
   * Opens a delivery (an exec waiting for its standard input) into every ready pool pod that has
   * none, and closes those of pods that are no longer ready: a claim then only sends its payload,
   * and skips the exec's own start (the WebSocket, the API server's stream to the kubelet, the
   * container runtime's new process), most of a claim's time. An exec that waits costs nothing in
   * the pod (a shell blocked on a read) and ends with it; one that broke is opened again. It
   * changes nothing in what a claim guarantees: the take still comes first, and a delivery that is
   * never sent anything never wakes the runner ({@link
   * dev.toolrun.adapter.k8s.job.PoolRunner#deliver}).
   */
  // On the refill thread.
  private void prepare() {
    Set<String> ready = new java.util.HashSet<>();
    for (Job job : cache.waitingPoolJobs()) {
      String name = job.getMetadata().getName();
      if (deleted.contains(name)) {
        continue;
      }
      Optional<Pod> pod = readyPod(job);
      if (pod.isEmpty()) {
        continue;
      }
      String podName = pod.get().getMetadata().getName();
      // A pod being claimed keeps its delivery: the claim takes it out of the map once it took
      // the Job.
      ready.add(podName);
      if (taken.contains(name)) {
        continue;
      }
      PodExec.Session session = prepared.get(podName);
      if (session == null || session.outcome().isDone()) {
        prepared.put(podName, claims.prepare(pod.get()));
      }
    }
    for (String pod : List.copyOf(prepared.keySet())) {
      PodExec.Session session = prepared.get(pod);
      // Closed only if no claim took it out of the map meanwhile.
      if (!ready.contains(pod) && session != null && prepared.remove(pod, session)) {
        session.close();
      }
    }
  }

  /**
   * Whether {@link #claim} would now find a ready pod for {@code launch}, from the cache alone:
   * nothing is taken, counted or requested.
   */
  public boolean hasReady(Launch launch) {
    JobFactory jobs = factory;
    Tool tool = launch.tool();
    if (!servable(jobs, launch)) {
      return false;
    }
    String template = jobs.poolTemplateHash(tool, config.poolMaxAge());
    return matching(tool, template).stream()
        .anyMatch(j -> !taken.contains(j.getMetadata().getName()) && readyPod(j).isPresent());
  }

  /**
   * Hands {@code launch}'s run to a ready pod of its tool's pool: whether one took it. False when
   * the tool has no pool, the launch is of another version than the pool's, its secrets are given
   * by a Secret's reference (a claim delivers secret values, and toolrun cannot read that
   * Secret's), or no pod is ready; the caller then starts the run cold. A claim that fails after it
   * took a pod deletes that pod's Job and answers false, so the run starts cold.
   */
  public boolean claim(Launch launch, Optional<OwnerReference> owner) {
    JobFactory jobs = factory;
    Tool tool = launch.tool();
    String name = tool.name().value();
    if (!servable(jobs, launch)) {
      return false;
    }
    byte[] payload = jobs.claimPayload(launch);
    String template = jobs.poolTemplateHash(tool, config.poolMaxAge());
    Duration timeout = tool.spec().effectiveTimeout(config.defaultTimeout());
    for (int attempt = 0; attempt < CLAIM_ATTEMPTS; attempt++) {
      Optional<Candidate> candidate = readyCandidate(tool, template);
      if (candidate.isEmpty()) {
        break;
      }
      Job job = candidate.get().job();
      String jobName = job.getMetadata().getName();
      try {
        long begun = System.nanoTime();
        if (!claims.take(job, timeout, clock.instant())) {
          continue;
        }
        long took = System.nanoTime();
        String pod = candidate.get().pod().getMetadata().getName();
        Optional<PodExec.Session> session = Optional.ofNullable(prepared.remove(pod));
        try {
          PodExec.Session delivery = claims.deliver(candidate.get().pod(), payload, session);
          long delivered = System.nanoTime();
          LOG.debug(
              "pool Job {} took the run of {}: take {} ms, delivery {} ms (opened ahead: {})",
              jobName,
              launch.instance().id(),
              (took - begun) / 1_000_000,
              (delivered - took) / 1_000_000,
              session.isPresent());
          handedOver.put(launch.instance().id(), jobName);
          claims.handOver(
              jobName,
              candidate.get().pod().getMetadata().getName(),
              launch.instance().id(),
              owner);
          InstanceId id = launch.instance().id();
          Consumer<RunnerEnd> ends = runnerEnds;
          delivery
              .ended()
              .thenAccept(
                  end ->
                      ends.accept(
                          new RunnerEnd(
                              id, jobName, pod, end.exitCode(), end.terminationMessage())));
        } catch (ToolrunException e) {
          LOG.warn(
              "pool Job {} could not take the run of {}; it is deleted and the run starts cold: {}",
              jobName,
              launch.instance().id(),
              e.getMessage());
          handedOver.remove(launch.instance().id());
          deleteQuietly(jobName);
          break;
        }
        counter(hits, name).incrementAndGet();
        refills.execute(this::refillQuietly);
        return true;
      } finally {
        taken.remove(jobName);
      }
    }
    counter(misses, name).incrementAndGet();
    return false;
  }

  // Whether a pool could take the launch at all, ready pods aside.
  private boolean servable(JobFactory jobs, Launch launch) {
    Tool tool = launch.tool();
    return jobs != null
        && sizes.getOrDefault(tool.name().value(), 0) > 0
        && JobFactory.poolable(tool.spec())
        && launch.instance().secretReference().isEmpty();
  }

  /**
   * The name of the pool Job handed to instance {@code id} by this toolrun, while the cache may not
   * show it under the instance yet.
   */
  public Optional<String> handedOver(InstanceId id) {
    return Optional.ofNullable(handedOver.get(id));
  }

  /** The pools now. */
  public List<PoolStatus> status() {
    List<PoolStatus> status = new ArrayList<>();
    sizes.entrySet().stream()
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              ToolName tool = new ToolName(e.getKey());
              Optional<Tool> current = latest.apply(tool);
              int ready = 0;
              int waiting = 0;
              if (current.isPresent() && factory != null && poolable(current.get())) {
                String template = factory.poolTemplateHash(current.get(), config.poolMaxAge());
                for (Job job : matching(current.get(), template)) {
                  waiting++;
                  if (readyPod(job).isPresent()) {
                    ready++;
                  }
                }
              }
              status.add(
                  new PoolStatus(
                      tool,
                      current.map(Tool::version).orElse(0),
                      e.getValue(),
                      ready,
                      waiting - ready,
                      counter(hits, e.getKey()).get(),
                      counter(misses, e.getKey()).get()));
            });
    return status;
  }

  private record Candidate(Job job, Pod pod) {}

  /** A pool Job created for {@code tool} at {@code at} that the cache may not show yet. */
  private record Pending(String tool, Instant at) {}

  private Optional<Candidate> readyCandidate(Tool tool, String template) {
    List<Job> jobs = new ArrayList<>(matching(tool, template));
    // The oldest first: it is the nearest to its maximum age.
    jobs.sort(Comparator.comparing(j -> j.getMetadata().getCreationTimestamp()));
    for (Job job : jobs) {
      Optional<Pod> pod = readyPod(job);
      if (pod.isPresent() && taken.add(job.getMetadata().getName())) {
        return Optional.of(new Candidate(job, pod.get()));
      }
    }
    return Optional.empty();
  }

  private Optional<Pod> readyPod(Job job) {
    if (job.getMetadata().getDeletionTimestamp() != null || isFinished(job)) {
      return Optional.empty();
    }
    return cache.podsOfJob(job.getMetadata().getName()).stream()
        .filter(PoolClaim::canTakeRun)
        .findFirst();
  }

  /** The waiting pool Jobs of {@code tool}'s version made from {@code template}. */
  private List<Job> matching(Tool tool, String template) {
    return cache.waitingPoolJobs(tool.name().value()).stream()
        .filter(j -> fits(j, tool, template))
        .filter(j -> !deleted.contains(j.getMetadata().getName()))
        .toList();
  }

  private static boolean fits(Job job, Tool tool, String template) {
    Map<String, String> labels = job.getMetadata().getLabels();
    Map<String, String> annotations =
        Optional.ofNullable(job.getMetadata().getAnnotations()).orElse(Map.of());
    return Integer.toString(tool.version()).equals(labels.get(WorkloadLabels.TOOL_VERSION))
        && template.equals(annotations.get(JobFactory.POOL_TEMPLATE_ANNOTATION));
  }

  private static boolean isFinished(Job job) {
    return job.getStatus() != null
        && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream()
            .anyMatch(
                c ->
                    ("Complete".equals(c.getType()) || "Failed".equals(c.getType()))
                        && "True".equals(c.getStatus()));
  }

  private boolean poolable(Tool tool) {
    return JobFactory.poolable(tool.spec());
  }

  private void refillQuietly() {
    try {
      refill();
    } catch (RuntimeException e) {
      LOG.warn("could not refill the warm pools: {}", e.getMessage());
    }
  }

  // On the refill thread.
  private void refill() {
    prepare();
    JobFactory jobs = factory;
    Instant now = clock.instant();
    List<Job> waiting = cache.waitingPoolJobs();
    List<Job> leftovers = cache.claimedPoolJobsWithoutInstance();
    Set<String> inCache = ConcurrentHashMap.newKeySet();
    waiting.forEach(j -> inCache.add(j.getMetadata().getName()));
    leftovers.forEach(j -> inCache.add(j.getMetadata().getName()));
    created
        .entrySet()
        .removeIf(
            e ->
                inCache.contains(e.getKey())
                    || Duration.between(e.getValue().at(), now).compareTo(CREATE_GRACE) > 0);
    deleted.retainAll(inCache);
    handedOver.keySet().removeIf(id -> cache.job(id).isPresent());
    for (Job job : waiting) {
      String tool = job.getMetadata().getLabels().get(WorkloadLabels.TOOL);
      Optional<Tool> current =
          sizes.getOrDefault(tool, 0) == 0
              ? Optional.empty()
              : latest.apply(new ToolName(tool)).filter(this::poolable);
      boolean wanted =
          current.isPresent()
              && fits(job, current.get(), jobs.poolTemplateHash(current.get(), config.poolMaxAge()))
              && !isFinished(job);
      if (!wanted && !taken.contains(job.getMetadata().getName())) {
        deleteQuietly(job.getMetadata().getName());
      }
    }
    for (Job job : leftovers) {
      Instant claimedAt =
          Optional.ofNullable(job.getMetadata().getAnnotations())
              .map(a -> a.get(JobFactory.CLAIMED_AT_ANNOTATION))
              .map(Instant::parse)
              .orElse(Instant.EPOCH);
      if (Duration.between(claimedAt, now).compareTo(CLAIM_LEFTOVER) > 0
          && !taken.contains(job.getMetadata().getName())) {
        deleteQuietly(job.getMetadata().getName());
      }
    }
    sizes.forEach(
        (name, size) -> {
          if (size == 0) {
            return;
          }
          Optional<Tool> tool = latest.apply(new ToolName(name)).filter(this::poolable);
          if (tool.isEmpty()) {
            return;
          }
          String template = jobs.poolTemplateHash(tool.get(), config.poolMaxAge());
          List<Job> alive =
              matching(tool.get(), template).stream().filter(j -> !isFinished(j)).toList();
          long live =
              alive.size() + created.values().stream().filter(p -> p.tool().equals(name)).count();
          if (live > size) {
            shrink(alive, (int) Math.min(alive.size(), live - size));
            return;
          }
          for (long i = live; i < size; i++) {
            Job job =
                jobs.poolJob(
                    tool.get(),
                    "toolrun-pool-" + InstanceId.generate(now, new java.security.SecureRandom()),
                    config.poolMaxAge());
            created.put(job.getMetadata().getName(), new Pending(name, now));
            writer.createPoolJob(job);
          }
        });
  }

  /**
   * Deletes {@code count} of a pool's {@code alive} Jobs, those not ready yet first, then the
   * youngest: the pods that are ready and oldest are kept for the next claims.
   */
  private void shrink(List<Job> alive, int count) {
    alive.stream()
        .filter(j -> !taken.contains(j.getMetadata().getName()))
        .sorted(
            Comparator.comparing((Job j) -> readyPod(j).isPresent())
                .thenComparing(
                    j -> j.getMetadata().getCreationTimestamp(), Comparator.reverseOrder()))
        .limit(count)
        .forEach(j -> deleteQuietly(j.getMetadata().getName()));
  }

  /**
   * Keeps {@code size} waiting pods for {@code tool} from now on (0 removes its pool): the next
   * refill, started at once, makes the missing ones or deletes the extra ones.
   */
  public void resize(ToolName tool, int size) {
    if (size < 0 || size > KubernetesConfig.MAX_POOL_SIZE) {
      throw new IllegalArgumentException(
          "a pool's size must be between 0 and %d, was %d"
              .formatted(KubernetesConfig.MAX_POOL_SIZE, size));
    }
    if (size == 0) {
      sizes.remove(tool.value());
    } else {
      sizes.put(tool.value(), size);
    }
    try {
      refills.execute(this::refillQuietly);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // Closing: nothing to keep any more.
    }
  }

  private void deleteQuietly(String job) {
    if (!deleted.add(job)) {
      return;
    }
    try {
      writer.deleteJob(job);
    } catch (RuntimeException e) {
      deleted.remove(job);
      LOG.warn("could not delete pool Job {}: {}", job, e.getMessage());
    }
  }

  private static AtomicLong counter(Map<String, AtomicLong> counters, String tool) {
    return counters.computeIfAbsent(tool, t -> new AtomicLong());
  }

  @Override
  public void close() {
    refills.shutdownNow();
    prepared.values().forEach(PodExec.Session::close);
    prepared.clear();
  }
}
