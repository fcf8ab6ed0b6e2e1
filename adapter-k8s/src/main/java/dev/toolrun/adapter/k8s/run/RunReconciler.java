package dev.toolrun.adapter.k8s.run;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.job.JobFactory;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.adapter.k8s.run.ProgressReporter.Reported;
import dev.toolrun.adapter.k8s.run.RunCompletion.Ending;
import dev.toolrun.adapter.k8s.run.RunState.CatchingUp;
import dev.toolrun.adapter.k8s.run.RunState.Going;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.LogStore;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives every run from what the {@link WorkloadCache} shows to its end. Each change to an
 * instance's Job or pods re-reads both from the cache, maps them to a state with {@link
 * JobStatusMapper}, and reports what is new; an outcome is handed to {@link RunCompletion}. What
 * the reconciler remembers of a run between two events is one {@link RunState}. All of it happens
 * on one event thread, so an instance's reports are ordered; only {@link #terminate} comes from
 * other threads, and a state it replaced is never overwritten.
 */
public final class RunReconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunReconciler.class);

  /** How long an outcome waits for the pod cache to show the pods that decided it. */
  private static final Duration POD_CATCH_UP = Duration.ofSeconds(3);

  private static final Duration POD_CATCH_UP_STEP = Duration.ofMillis(50);

  private final WorkloadCache cache;
  private final JobStatusMapper mapper;
  private final ResultReader results;
  private final LogFollower followers;
  private final ProgressReporter reporter;
  private final RunCompletion completion;
  private final LogStore logs;
  private final Clock clock;
  private final ScheduledExecutorService events;
  private final KubernetesConfig config;
  private final Consumer<Duration> eventLag;
  private final Map<InstanceId, RunState> runs = new ConcurrentHashMap<>();

  /** The successes warm pool pods' runners reported, until their run's Job leaves the cache. */
  private final Map<InstanceId, RunnerEnd> runnerEnds = new ConcurrentHashMap<>();

  /**
   * @param events the one thread every run is driven on, which {@code followers} and {@code
   *     completion} schedule on too; the reconciler shuts it down when it is closed
   */
  public RunReconciler(
      WorkloadCache cache,
      JobStatusMapper mapper,
      ResultReader results,
      LogFollower followers,
      ProgressReporter reporter,
      RunCompletion completion,
      LogStore logs,
      Clock clock,
      ScheduledExecutorService events,
      KubernetesConfig config) {
    this(
        cache,
        mapper,
        results,
        followers,
        reporter,
        completion,
        logs,
        clock,
        events,
        config,
        lag -> {});
  }

  /**
   * @param eventLag told how long each informer event waited for the event thread
   */
  public RunReconciler(
      WorkloadCache cache,
      JobStatusMapper mapper,
      ResultReader results,
      LogFollower followers,
      ProgressReporter reporter,
      RunCompletion completion,
      LogStore logs,
      Clock clock,
      ScheduledExecutorService events,
      KubernetesConfig config,
      Consumer<Duration> eventLag) {
    this.eventLag = requireNonNull(eventLag, "eventLag is null");
    this.cache = requireNonNull(cache, "cache is null");
    this.mapper = requireNonNull(mapper, "mapper is null");
    this.results = requireNonNull(results, "results is null");
    this.followers = requireNonNull(followers, "followers is null");
    this.reporter = requireNonNull(reporter, "reporter is null");
    this.completion = requireNonNull(completion, "completion is null");
    this.logs = requireNonNull(logs, "logs is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.events = requireNonNull(events, "events is null");
    this.config = requireNonNull(config, "config is null");
  }

  /**
   * Starts the cache and waits until it is filled, then looks at every Job already there: runs that
   * ended while toolrun was away are reported to {@code progress}, runs still going are followed
   * again.
   */
  void start(RecordRunProgressUseCase progress) {
    reporter.reportTo(progress);
    cache.start(this::changed);
    events.execute(
        () ->
            cache
                .jobs()
                .forEach(
                    job ->
                        WorkloadLabels.instanceOf(job.getMetadata().getLabels())
                            .ifPresent(this::reconcile)));
  }

  /** Looks at instance {@code id} again, soon, on the event thread. */
  void changed(InstanceId id) {
    long received = System.nanoTime();
    events.execute(
        () -> {
          eventLag.accept(Duration.ofNanos(System.nanoTime() - received));
          reconcile(id);
        });
  }

  /**
   * Takes what a warm pool pod's runner reported of its tool's end, from any thread: a success is
   * read with the instance's Job and pods (the mapper decides whether it ends the run), anything
   * else is left to the kubelet's report, so a failure is told as a cold run's.
   */
  void runnerEnded(RunnerEnd end) {
    if (end.succeeded()) {
      runnerEnds.put(end.instance(), end);
      changed(end.instance());
    }
  }

  /**
   * Ends the run of {@code id} on request, from any thread: nothing more is followed, reported or
   * cleaned up for it, and its log is complete.
   */
  void terminate(InstanceId id) {
    runs.put(id, RunState.TERMINATED);
    followers.forget(id);
    logs.complete(id);
  }

  // On the event thread.
  private void reconcile(InstanceId id) {
    Optional<Job> job = cache.job(id);
    // A run is remembered while its Job is in the cache, and no longer: events about its last
    // pods, which may outlive the Job, must not bring an ended run back to life (it would follow
    // its logs and clean up once more).
    RunState state =
        job.isEmpty() ? runs.get(id) : runs.computeIfAbsent(id, k -> RunState.AWAITING);
    if (state == null) {
      runnerEnds.remove(id);
      return;
    }
    if (state.isOver()) {
      if (job.isEmpty()) {
        runs.remove(id, state);
        runnerEnds.remove(id);
      }
      return;
    }
    Instant now = clock.instant();
    if (job.isEmpty()) {
      if (state.sawJob() && move(id, state, RunState.ENDED)) {
        FailureReason deleted =
            new FailureReason.RuntimeError(
                "the Job of this instance was deleted outside toolrun before the run ended");
        RunProgress outcome = RunProgress.failed(id, deleted, Optional.empty(), now);
        end(new Ending(id, outcome, Optional.empty(), false));
      }
      return;
    }
    List<Pod> pods = cache.pods(id);
    followLogs(id, job.get(), pods);
    JobObservation observation =
        mapper.observe(job.get(), pods, Optional.ofNullable(runnerEnds.get(id)), now);
    if (observation.isTerminal()) {
      ended(id, state, job.get(), pods, observation, now);
    } else {
      going(id, state, pods, observation, now);
    }
  }

  private void going(
      InstanceId id, RunState state, List<Pod> pods, JobObservation observation, Instant now) {
    Optional<InstanceState> reported = state.reported();
    if (!reported.equals(Optional.of(observation.state()))) {
      RunProgress progress =
          RunProgress.reached(id, observation.state(), now).startedAt(observation.startedAt());
      switch (reporter.report(progress)) {
        case ORPHAN -> {
          leaveAlone(id);
          return;
        }
        case STORED -> reported = Optional.of(observation.state());
        case RETRY -> {
          // Reported again at the next look.
        }
      }
    }
    if (move(id, state, new Going(reported))) {
      mapper
          .nextDeadline(pods, now)
          .ifPresent(at -> lookAgain(id, Math.max(0, Duration.between(now, at).toMillis()) + 10));
    }
  }

  private void ended(
      InstanceId id,
      RunState state,
      Job job,
      List<Pod> pods,
      JobObservation observation,
      Instant now) {
    if (!WorkloadStatus.podsCaughtUp(job, pods)) {
      // The Jobs watch can be ahead of the pods watch: the pods that decided the outcome carry the
      // result and the logs, so look again shortly (a pod event also brings us back here).
      Instant since = state instanceof CatchingUp catchingUp ? catchingUp.since() : now;
      if (Duration.between(since, now).compareTo(POD_CATCH_UP) < 0) {
        if (move(id, state, new CatchingUp(state.reported(), since))) {
          lookAgain(id, POD_CATCH_UP_STEP.toMillis());
        }
        return;
      }
    }
    if (!move(id, state, RunState.ENDED)) {
      return;
    }
    boolean succeeded = observation.state() == InstanceState.SUCCEEDED;
    RunProgress outcome =
        (succeeded
                ? RunProgress.succeeded(id, results.read(observation.terminationMessage()), now)
                : new RunProgress(
                    id,
                    observation.state(),
                    now,
                    observation.failure().map(f -> withLastLines(id, f)),
                    observation.exitCode(),
                    Optional.empty(),
                    Optional.empty()))
            .startedAt(observation.startedAt());
    CleanupPolicy policy = JobFactory.cleanupPolicy(job).orElse(config.defaultCleanupPolicy());
    boolean stopKeptJob = !WorkloadStatus.isFinished(job) && !succeeded;
    // A success the Job controller has not seen yet is the runner's: the kubelet has not seen the
    // container end either, so its log stream may still be open.
    boolean beforeOutputEnds = succeeded && !WorkloadStatus.isFinished(job);
    end(new Ending(id, outcome, Optional.of(policy), stopKeptJob, beforeOutputEnds));
  }

  private void end(Ending ending) {
    completion
        .end(ending)
        .thenAccept(
            reported -> {
              if (reported == Reported.ORPHAN) {
                leaveAlone(ending.id());
              }
            });
  }

  /** Replaces the state of {@code id} unless it was replaced meanwhile; whether it did. */
  private boolean move(InstanceId id, RunState from, RunState to) {
    return from.equals(to) || runs.replace(id, from, to);
  }

  private void lookAgain(InstanceId id, long afterMillis) {
    events.schedule(() -> reconcile(id), afterMillis, TimeUnit.MILLISECONDS);
  }

  /** A crash loop quotes the last lines the service wrote. */
  private FailureReason withLastLines(InstanceId id, FailureReason reason) {
    return reason instanceof FailureReason.CrashLoop crash
        ? new FailureReason.CrashLoop(crash.lastExitCode(), followers.tail(id))
        : reason;
  }

  private void followLogs(InstanceId id, Job job, List<Pod> pods) {
    boolean parallel = WorkloadStatus.isParallel(job);
    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      if (WorkloadStatus.hasStarted(pod) && !followers.follows(name)) {
        String prefix = parallel ? "[" + name.substring(name.lastIndexOf('-') + 1) + "] " : "";
        followers.follow(id, name, prefix);
      }
    }
  }

  /**
   * A Job with toolrun's labels and no record (deleted by hand, or made by another toolrun):
   * reported once, never adopted nor deleted.
   */
  private void leaveAlone(InstanceId id) {
    runs.put(id, RunState.ORPHANED);
    followers.forget(id);
    logs.delete(id);
    LOG.warn(
        "orphaned workload: Job {} in namespace {} carries toolrun's labels but instance {} has no"
            + " record; left as it is (delete it by hand if it is not wanted)",
        WorkloadLabels.objectName(id),
        config.namespace(),
        id);
  }

  /** Stops following logs and shuts the event thread down. */
  @Override
  public void close() {
    followers.close();
    events.shutdownNow();
  }
}
