package dev.toolrun.adapter.inmemory;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.error.UpstreamFailedException;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.domain.tool.Workload;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.PoolStatus;
import dev.toolrun.ports.out.RuntimeCapabilities;
import dev.toolrun.ports.out.RuntimeCapabilities.Capability;
import dev.toolrun.ports.out.RuntimeOutage;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A {@link WorkloadRuntime} that executes nothing and plays each launched workload's lifecycle on
 * its own scheduler thread: RUNNING, log lines, then an end, one step per {@link
 * InMemoryRuntimeConfig#stepDelay()}. It is the app's embedded default and the fake of every test.
 *
 * <p>What a task's run does is its {@link Scenario}: the one scripted for its tool's name, else the
 * one scripted for its workload, else an honest default: log lines that say nothing is executed and
 * name the inputs (never a secret's value), then success with a result echoing the parameters. A
 * task still going at its timeout ends TIMED_OUT.
 *
 * <p>A service reaches RUNNING, then listens on its port until it is terminated: what it answers is
 * its {@link ServiceBehaviour}, scripted for its tool's name or its workload the same way, by
 * default {@link ServiceBehaviour#echo()}. Tests can {@link #kill} its process: requests then fail
 * as undeliverable, and nothing is reported, as for a Job whose pod died and waits within its
 * restart limit; health checks find out. {@link #restart} replaces the workload: RUNNING is
 * reported again one step later, and the new workload answers. The fake never gives up on a killed
 * process by itself (a real Job would end FAILED with a crash loop past its restart limit).
 *
 * <p>The events of one run are reported in order, from the scheduler thread. Thread-safe.
 *
 * <p>How one run plays its steps is {@link InMemoryRun}'s; this class is a little over 300 lines
 * because it is the fake's whole public face: the port's methods, four ways to script runs and
 * services, the controls of a service's process ({@link #kill}, {@link #restart}) and of an outage.
 */
public final class InMemoryWorkloadRuntime implements WorkloadRuntime, AutoCloseable {
  private static final Logger LOG = System.getLogger(InMemoryWorkloadRuntime.class.getName());
  private static final RuntimeCapabilities CAPABILITIES =
      new RuntimeCapabilities(
          "in-memory",
          EnumSet.of(Capability.SCALING, Capability.HEALTH_CHECKS),
          Set.of(Protocol.HTTP));
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private final LogStore logs;
  private final InMemoryRuntimeConfig config;
  private final Clock clock;
  private final ScheduledThreadPoolExecutor scheduler;
  private final AtomicReference<RecordRunProgressUseCase> listener = new AtomicReference<>();
  private final Map<ToolName, Scenario> scenariosByTool = new ConcurrentHashMap<>();
  private final Map<Workload, Scenario> scenariosByWorkload = new ConcurrentHashMap<>();
  private final Map<ToolName, ServiceBehaviour> behavioursByTool = new ConcurrentHashMap<>();
  private final Map<Workload, ServiceBehaviour> behavioursByWorkload = new ConcurrentHashMap<>();
  // A run stays here after it ended, like a finished Job, so launching it again adopts it.
  private final Map<InstanceId, InMemoryRun> runs = new ConcurrentHashMap<>();
  private final AtomicReference<RuntimeOutage> outage = new AtomicReference<>();
  // The Secrets of the namespace it plays, by name, with their keys: nothing is executed, so their
  // values would go nowhere and are not kept.
  private final Map<String, Set<String>> secrets = new ConcurrentHashMap<>();
  private final InMemoryPools pools;

  /**
   * A runtime that writes its workloads' output to {@code logs} and stamps events with {@code
   * clock}.
   */
  public InMemoryWorkloadRuntime(LogStore logs, InMemoryRuntimeConfig config, Clock clock) {
    this(logs, config, clock, name -> Optional.empty());
  }

  /**
   * A runtime whose warm pools ({@link InMemoryRuntimeConfig#pools()}) are made for the latest
   * version of each tool, as {@code latest} tells.
   */
  public InMemoryWorkloadRuntime(
      LogStore logs,
      InMemoryRuntimeConfig config,
      Clock clock,
      Function<ToolName, Optional<Tool>> latest) {
    this.logs = requireNonNull(logs, "logs is null");
    this.config = requireNonNull(config, "config is null");
    this.clock = requireNonNull(clock, "clock is null");
    // The thread starts with the first scheduled step, not here.
    this.scheduler =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "toolrun-inmemory-runtime");
              thread.setDaemon(true);
              return thread;
            });
    // A terminated run's far-off deadline would otherwise sit in the queue until it is due.
    scheduler.setRemoveOnCancelPolicy(true);
    this.pools = new InMemoryPools(config.pools(), latest, scheduler, config.stepDelay());
  }

  /**
   * Keeps {@code size} waiting pods for {@code tool} from now on, as a new pool size in the
   * configuration does (0 removes the pool).
   */
  @Override
  public void resizePool(ToolName tool, int size) {
    pools.resize(requireNonNull(tool, "tool is null"), size);
  }

  /**
   * A waiting pod of {@code tool}'s pool dies, as a pool pod that crashed or went stale: the pool
   * replaces it one step later. Whether there was a ready one to lose.
   */
  public boolean losePoolPod(ToolName tool) {
    return pools.lose(requireNonNull(tool, "tool is null"));
  }

  @Override
  public boolean wouldStartWarm(Launch launch) {
    return pools.hasReady(launch);
  }

  @Override
  public List<PoolStatus> pools() {
    return pools.status();
  }

  /**
   * Makes a Secret called {@code name} with the keys {@code keys} exist, as a user would make one
   * for runs that take their secret inputs by reference. A later run that references a Secret that
   * does not exist, or lacks a key for one of its secret inputs, fails before it runs, as a
   * Kubernetes run whose container the kubelet cannot create.
   */
  public void defineSecret(String name, Set<String> keys) {
    secrets.put(requireNonNull(name, "name is null"), Set.copyOf(keys));
  }

  /** Makes every later launch of the tool called {@code tool} follow {@code scenario}. */
  public void script(ToolName tool, Scenario scenario) {
    scenariosByTool.put(
        requireNonNull(tool, "tool is null"), requireNonNull(scenario, "scenario is null"));
  }

  /**
   * Makes every later launch of a tool that runs {@code workload} (an equal image and command, or
   * an equal script) follow {@code scenario}, unless a scenario is scripted for the tool's name.
   */
  public void script(Workload workload, Scenario scenario) {
    scenariosByWorkload.put(
        requireNonNull(workload, "workload is null"), requireNonNull(scenario, "scenario is null"));
  }

  /**
   * Makes the services of every later launch of the tool called {@code tool} answer as {@code
   * behaviour}.
   */
  public void script(ToolName tool, ServiceBehaviour behaviour) {
    behavioursByTool.put(
        requireNonNull(tool, "tool is null"), requireNonNull(behaviour, "behaviour is null"));
  }

  /**
   * Makes the services of every later launch of a tool that runs {@code workload} answer as {@code
   * behaviour}, unless a behaviour is scripted for the tool's name.
   */
  public void script(Workload workload, ServiceBehaviour behaviour) {
    behavioursByWorkload.put(
        requireNonNull(workload, "workload is null"),
        requireNonNull(behaviour, "behaviour is null"));
  }

  @Override
  public RuntimeCapabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public Optional<RuntimeOutage> outage() {
    return Optional.ofNullable(outage.get());
  }

  /**
   * Reports an outage with {@code reason} from now until {@link #endOutage}, as a runtime that lost
   * its cluster would; runs go on meanwhile, as they do in a cluster while toolrun cannot see it.
   */
  public void beginOutage(String reason) {
    outage.set(new RuntimeOutage(requireNonNull(reason, "reason is null"), clock.instant()));
  }

  /** Ends the outage {@link #beginOutage} reported, if any. */
  public void endOutage() {
    outage.set(null);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalStateException when a listener was set before
   */
  @Override
  public void observe(RecordRunProgressUseCase listener) {
    requireNonNull(listener, "listener is null");
    if (!this.listener.compareAndSet(null, listener)) {
      throw new IllegalStateException("the in-memory runtime already reports to a listener");
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws RuntimeUnavailableException when the runtime was closed
   * @throws IllegalStateException when nobody {@linkplain #observe observes} the runtime yet
   */
  @Override
  public WorkloadStart launch(Launch launch) {
    requireNonNull(launch, "launch is null");
    RecordRunProgressUseCase reportTo = listener.get();
    if (reportTo == null) {
      throw new IllegalStateException("observe(listener) must be called before the first launch");
    }
    if (scheduler.isShutdown()) {
      throw new RuntimeUnavailableException("the in-memory runtime is closed", null);
    }
    InstanceId id = launch.instance().id();
    if (runs.containsKey(id)) {
      return WorkloadStart.COLD;
    }
    Optional<FailureReason> unmet = unmetSecretReference(launch);
    WorkloadStart start = pools.claim(launch) ? WorkloadStart.WARM : WorkloadStart.COLD;
    InMemoryRun run =
        new InMemoryRun(
            id,
            launch.tool().spec(),
            unmet
                .map(reason -> RunPlan.failingToStart(reason, config.stepDelay()))
                .orElseGet(() -> planOf(launch)),
            unmet.isPresent() ? Optional.empty() : processOf(launch),
            reportTo,
            scheduler,
            logs,
            clock);
    if (runs.putIfAbsent(id, run) == null) {
      run.begin();
    }
    return start;
  }

  /**
   * Why {@code launch}'s workload could not be created, if its secret inputs come from a Secret
   * that is not there or lacks one of them: in the kubelet's words, which a Kubernetes run fails
   * with.
   */
  private Optional<FailureReason> unmetSecretReference(Launch launch) {
    return launch
        .instance()
        .secretReference()
        .flatMap(
            reference -> {
              Set<String> keys = secrets.get(reference.name());
              if (keys == null) {
                return Optional.of("secret \"%s\" not found".formatted(reference.name()));
              }
              return launch.instance().secretNames().stream()
                  .filter(name -> !keys.contains(name))
                  .findFirst()
                  .map(
                      name ->
                          "couldn't find key %s in Secret %s".formatted(name, reference.name()));
            })
        .map(
            message ->
                new FailureReason.RuntimeError("the container could not be created: " + message));
  }

  private Optional<ServiceProcess> processOf(Launch launch) {
    ToolSpec spec = launch.tool().spec();
    return spec.service()
        .map(
            settings ->
                new ServiceProcess(
                    launch.instance().id(),
                    launch.tool().name(),
                    settings,
                    Optional.ofNullable(behavioursByTool.get(launch.tool().name()))
                        .or(() -> Optional.ofNullable(behavioursByWorkload.get(spec.workload())))
                        .orElseGet(ServiceBehaviour::echo),
                    scheduler));
  }

  private RunPlan planOf(Launch launch) {
    ToolSpec spec = launch.tool().spec();
    if (spec.mode() == ToolMode.SERVICE) {
      return servicePlan(spec, 1);
    }
    Scenario scenario =
        Optional.ofNullable(scenariosByTool.get(launch.tool().name()))
            .or(() -> Optional.ofNullable(scenariosByWorkload.get(spec.workload())))
            .orElseGet(() -> DefaultScenario.forTask(launch));
    return RunPlan.forTask(
        scenario,
        spec.workload(),
        config.stepDelay(),
        spec.effectiveTimeout(config.defaultTimeout()));
  }

  private RunPlan servicePlan(ToolSpec spec, int workload) {
    ServiceSettings settings = spec.service().orElseThrow();
    return RunPlan.forService(
        DefaultService.startLines(spec.workload(), settings.port(), workload), config.stepDelay());
  }

  /** {@inheritDoc} A workload exists from its launch until it is terminated, also once it ended. */
  @Override
  public boolean hasWorkload(InstanceId id) {
    return runs.containsKey(requireNonNull(id, "id is null"));
  }

  /**
   * {@inheritDoc} A step in progress finishes first; nothing is reported once this returns. The
   * requests a service is answering fail as undeliverable.
   */
  @Override
  public void terminate(InstanceId id) {
    requireNonNull(id, "id is null");
    InMemoryRun run = runs.remove(id);
    if (run != null) {
      run.stop();
      run.process().ifPresent(ServiceProcess::remove);
    }
  }

  /**
   * {@inheritDoc} Fails with {@link UpstreamFailedException} when the instance has no workload
   * here, it is a task, its process has not reached RUNNING yet or was {@linkplain #kill killed},
   * or nothing listens on {@code port}.
   */
  @Override
  public CompletionStage<ServiceResponse> send(
      InstanceId id, int port, ServiceRequest request, Duration timeout) {
    requireNonNull(id, "id is null");
    requireNonNull(request, "request is null");
    requireNonNull(timeout, "timeout is null");
    InMemoryRun run = runs.get(id);
    if (run == null || scheduler.isShutdown()) {
      return CompletableFuture.failedFuture(
          new UpstreamFailedException(
              id, "the instance has no workload in the in-memory runtime", null));
    }
    if (run.process().isEmpty()) {
      return CompletableFuture.failedFuture(
          new UpstreamFailedException(
              id, "the instance is a task, which listens on no port", null));
    }
    return run.process().get().send(port, request, timeout);
  }

  /**
   * {@inheritDoc} The requests the old workload was answering fail as undeliverable; the new one
   * reports RUNNING a step later and then answers. Does nothing for an unknown or terminated
   * instance, or a task.
   */
  @Override
  public void restart(InstanceId id) {
    requireNonNull(id, "id is null");
    InMemoryRun run = runs.get(id);
    if (run == null || run.process().isEmpty()) {
      return;
    }
    OptionalInt workload = run.process().get().replace();
    if (workload.isPresent()) {
      run.replay(servicePlan(run.spec(), workload.getAsInt()));
    }
  }

  /**
   * Kills the process of service instance {@code id}'s current workload, as if it crashed. The
   * requests it was answering and every later one fail as undeliverable until {@link #restart}
   * replaces the workload; nothing is reported, so only health checks notice. Killing a dead
   * process changes nothing.
   *
   * @throws IllegalArgumentException when {@code id} has no service workload here
   */
  public void kill(InstanceId id) {
    requireNonNull(id, "id is null");
    InMemoryRun run = runs.get(id);
    if (run == null || run.process().isEmpty()) {
      throw new IllegalArgumentException(
          "instance %s has no service workload to kill".formatted(id));
    }
    run.process().get().kill();
  }

  /**
   * Stops the scheduler: runs in progress stop where they are and report nothing more, and the
   * requests services are answering fail as undeliverable.
   */
  @Override
  public void close() {
    scheduler.shutdownNow();
    runs.values().forEach(run -> run.process().ifPresent(ServiceProcess::remove));
    try {
      if (!scheduler.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.log(
            Level.WARNING,
            "the in-memory runtime's scheduler did not stop within {0} ms",
            CLOSE_GRACE.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
