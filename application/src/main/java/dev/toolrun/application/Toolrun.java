package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.CheckReadinessUseCase;
import dev.toolrun.ports.in.DeleteToolUseCase;
import dev.toolrun.ports.in.DescribeRuntimeUseCase;
import dev.toolrun.ports.in.ExecuteRequestUseCase;
import dev.toolrun.ports.in.FollowInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.GetToolUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.ListInstancesUseCase;
import dev.toolrun.ports.in.ListToolVersionsUseCase;
import dev.toolrun.ports.in.ListToolsUseCase;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.in.ResizePoolUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase;
import dev.toolrun.ports.in.WatchInstancesUseCase;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Leadership;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.RunMetrics;
import dev.toolrun.ports.out.SchemaValidator;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;

/**
 * toolrun's core, for embedders: builds every use case over the driven ports it is given and hands
 * them out by use case. No Guice, no Vert.x: the adapters are plain objects, in-memory or
 * Kubernetes or one's own. The services share one admission queue, which is why they are built
 * together here and not one by one by a container.
 *
 * <pre>{@code
 * try (InMemoryAdapter adapter = InMemoryAdapter.create();
 *     Toolrun toolrun =
 *         Toolrun.builder()
 *             .tools(adapter.tools())
 *             .instances(adapter.instances())
 *             .logs(adapter.logs())
 *             .runtime(adapter.runtime())
 *             .schemas(NetworkntSchemaValidator.create())
 *             .build()) {
 *   toolrun.start();
 *   toolrun.registerTool().register(new RegisterToolCommand(name, "says hello", spec));
 *   Launched launched = toolrun.launchInstance().launch(command);
 * }
 * }</pre>
 *
 * <p>Close it before the adapters it was given: it stops the threads it created, and never closes
 * what it was given (the adapters, an executor).
 *
 * <p>A little over 300 lines, as the one entry point: a getter per use case and the builder's
 * documented options, with nothing else in it.
 */
public final class Toolrun implements AutoCloseable {
  private static final Logger LOG = System.getLogger(Toolrun.class.getName());

  /**
   * Threads of the executor Toolrun creates when it is given none. A launch waits on the runtime's
   * API calls (a Job and its inputs created one after the other): with two threads, 100 launches at
   * once reached the cluster two at a time (docs/benchmarks.md, figure 3); eight keep the API
   * server busy without flooding it.
   */
  public static final int DEFAULT_THREADS = 8;

  private static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private final WorkloadRuntime runtime;
  private final RegisterToolService registration;
  private final ToolQueryService toolQueries;
  private final DeleteToolService deletion;
  private final LaunchInstanceService launch;
  private final InstanceQueryService queries;
  private final CancelInstanceService cancel;
  private final RecordRunProgressService progress;
  private final DescribeRuntimeService description;
  private final ResizePoolService resizing;
  private final StopInstanceService stop;
  private final ExecuteRequestService requests;
  private final LogFollowing following;
  private final InstanceWatching watching;
  private final Recovery recovery;
  private final RetentionSweeper sweeper;
  private final RecordBudget budget;
  private final CheckReadinessUseCase readiness;
  private final RuntimeGate gate;
  private final RegisterToolUseCase gatedRegistration;
  private final DeleteToolUseCase gatedDeletion;
  private final LaunchInstanceUseCase gatedLaunch;
  private final CancelInstanceUseCase gatedCancel;
  private final StopInstanceUseCase gatedStop;
  private final ScheduledExecutorService executor;
  private final boolean ownsExecutor;
  private final AtomicBoolean started = new AtomicBoolean();

  private Toolrun(Builder builder) {
    ToolRepository tools = requireNonNull(builder.tools, "tools is null");
    InstanceRepository records = requireNonNull(builder.instances, "instances is null");
    LiveLogs logs = LiveLogs.over(requireNonNull(builder.logs, "logs is null"));
    this.runtime = requireNonNull(builder.runtime, "runtime is null");
    SchemaValidator schemas = builder.schemas;
    Capacity capacity = builder.capacity;
    Clock clock = builder.clock;
    this.ownsExecutor = builder.executor.isEmpty();
    this.executor = builder.executor.orElseGet(Toolrun::newCoreExecutor);
    RunMetrics metrics = builder.metrics;
    InstanceChanges instances =
        new InstanceChanges(
            new RunMetering(new LogTailKeeping(records, logs, executor), logs, metrics, clock));
    Admission admission = new Admission(capacity.maxServices(), capacity.maxTasks());
    metrics.admission(admission.view());
    InstanceStarter starter = new InstanceStarter(instances, runtime, admission, executor, clock);
    ServiceInstanceDirectory services = new ServiceInstanceDirectory(instances, tools);
    ServiceInstanceHealthMonitor monitor =
        new ServiceInstanceHealthMonitor(instances, runtime, services, starter, executor, clock);
    // Capacity and the services' bookkeeping follow the records: one that is gone holds nothing.
    instances.whenRemoved(
        id -> {
          monitor.unwatch(id);
          services.forget(id);
          starter.vanished(id);
        });
    this.registration = new RegisterToolService(tools, runtime, schemas, clock);
    this.toolQueries = new ToolQueryService(tools);
    this.deletion = new DeleteToolService(tools, instances);
    this.sweeper =
        new RetentionSweeper(instances, logs, builder.retention, builder.memoryBudget, clock);
    this.budget = new RecordBudget(instances, builder.memoryBudget, sweeper::sweepSoon);
    this.launch =
        new LaunchInstanceService(
            tools,
            instances,
            runtime,
            schemas,
            starter,
            services,
            monitor,
            budget,
            clock,
            builder.random);
    this.queries = new InstanceQueryService(instances, logs, starter);
    this.following = new LogFollowing(instances, queries, logs, executor, clock);
    this.watching = new InstanceWatching(instances, queries, executor);
    this.cancel = new CancelInstanceService(instances, starter, clock);
    this.progress =
        new RecordRunProgressService(instances, starter, services, monitor, tools, schemas);
    this.description = new DescribeRuntimeService(runtime, admission);
    this.resizing = new ResizePoolService(runtime, metrics);
    this.stop = new StopInstanceService(instances, starter, services, monitor, clock);
    this.requests = new ExecuteRequestService(instances, runtime, services, executor, metrics);
    this.recovery = new Recovery(instances, tools, runtime, starter, monitor, clock);
    this.gate = new RuntimeGate(runtime, builder.leadership);
    // Until it is started and writes (a standby, or a leader still reading its records), there is
    // no pressure to warn of, and asking would start reading the records on the caller's thread,
    // an event loop's.
    Leadership leadership = builder.leadership;
    this.readiness =
        () ->
            started.get() && leadership.notWriting().isEmpty()
                ? gate.check().warning(budget.warnings())
                : gate.check();
    this.gatedRegistration = gate.gated(registration);
    this.gatedDeletion = gate.gated(deletion);
    this.gatedLaunch = gate.gated(launch);
    this.gatedCancel = gate.gated(cancel);
    this.gatedStop = gate.gated(stop);
  }

  /** A builder; {@code tools}, {@code instances}, {@code logs} and {@code runtime} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Connects the runtime's observations to the instance records, picks up the instances a previous
   * run of toolrun left going, and starts the retention of old records; call once, before serving.
   *
   * @throws IllegalStateException when it was started before
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("toolrun was started before");
    }
    runtime.observe(progress);
    resizing.measure();
    recovery.recover();
    sweeper.schedule(executor);
  }

  public RegisterToolUseCase registerTool() {
    return gatedRegistration;
  }

  public GetToolUseCase getTool() {
    return toolQueries;
  }

  public ListToolVersionsUseCase listToolVersions() {
    return toolQueries;
  }

  public ListToolsUseCase listTools() {
    return toolQueries;
  }

  public DeleteToolUseCase deleteTool() {
    return gatedDeletion;
  }

  public LaunchInstanceUseCase launchInstance() {
    return gatedLaunch;
  }

  public GetInstanceUseCase getInstance() {
    return queries;
  }

  public ListInstancesUseCase listInstances() {
    return queries;
  }

  public GetInstanceLogsUseCase getInstanceLogs() {
    return queries;
  }

  /**
   * Follows logs as they grow. Followers are woken at each append when the runtime writes to the
   * {@link LiveLogs} this Toolrun was given (see {@link Builder#logs}); otherwise they read again
   * twice a second.
   */
  public FollowInstanceLogsUseCase followInstanceLogs() {
    return following;
  }

  /** Tells watchers of every instance created and every change of state. */
  public WatchInstancesUseCase watchInstances() {
    return watching;
  }

  public CancelInstanceUseCase cancelInstance() {
    return gatedCancel;
  }

  public RecordRunProgressUseCase recordRunProgress() {
    return progress;
  }

  public DescribeRuntimeUseCase describeRuntime() {
    return description;
  }

  public ResizePoolUseCase resizePool() {
    return resizing;
  }

  public StopInstanceUseCase stopInstance() {
    return gatedStop;
  }

  public ExecuteRequestUseCase executeRequest() {
    return requests;
  }

  /**
   * Ready unless the runtime knows it is unreachable ({@link RuntimeGate}); while the records in
   * memory near their budget it stays ready and warns, since only launches are refused then (see
   * {@link MemoryBudget}).
   */
  public CheckReadinessUseCase checkReadiness() {
    return readiness;
  }

  /**
   * Shuts down the executor it created, if it was given none: work already running gets a few
   * seconds to finish. An executor it was given is left to its owner, and so are the adapters.
   * Idempotent.
   */
  @Override
  public void close() {
    if (!ownsExecutor || executor.isShutdown()) {
      return;
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.log(Level.WARNING, "toolrun's core threads did not stop in time; interrupting them");
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A new executor of the kind Toolrun creates when it is given none: {@link #DEFAULT_THREADS}
   * daemon threads named {@code toolrun-core}. For a caller that owns the executor itself (the
   * service does, to stop it in its own order); the caller shuts it down.
   */
  public static ScheduledExecutorService newCoreExecutor() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            DEFAULT_THREADS,
            task -> {
              Thread thread = new Thread(task, "toolrun-core");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  /** Collects the driven ports and settings of a {@link Toolrun}. Not thread-safe. */
  public static final class Builder {
    private ToolRepository tools;
    private InstanceRepository instances;
    private LogStore logs;
    private WorkloadRuntime runtime;
    private Capacity capacity = Capacity.DEFAULT;
    private Retention retention = Retention.DEFAULT;
    private MemoryBudget memoryBudget;
    private SchemaValidator schemas = new MissingSchemaValidator();
    private RunMetrics metrics = RunMetrics.NONE;
    private Leadership leadership = Leadership.SOLE;
    private Optional<ScheduledExecutorService> executor = Optional.empty();
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = new SecureRandom();

    private Builder() {}

    /** Where tool definitions are kept. Required. */
    public Builder tools(ToolRepository tools) {
      this.tools = requireNonNull(tools, "tools is null");
      return this;
    }

    /** Where instance records are kept. Required. */
    public Builder instances(InstanceRepository instances) {
      this.instances = requireNonNull(instances, "instances is null");
      return this;
    }

    /**
     * Where the runtime writes instances' output, and where it is read. Required. Give the runtime
     * {@link LiveLogs#over} the store and pass that here too, so that followers of a log are woken
     * by each line the runtime appends; given another store, Toolrun decorates it itself and its
     * followers read again twice a second instead.
     */
    public Builder logs(LogStore logs) {
      this.logs = requireNonNull(logs, "logs is null");
      return this;
    }

    /** What runs the workloads. Required. */
    public Builder runtime(WorkloadRuntime runtime) {
      this.runtime = requireNonNull(runtime, "runtime is null");
      return this;
    }

    /**
     * Checks tools' input and output schemas and validates parameters and results against them
     * (adapter-jsonschema has one). If unset, a tool that declares a schema is refused at
     * registration, and a launch of one registered elsewhere is refused: a schema is never silently
     * skipped. Tools without schemas need none.
     */
    public Builder schemas(SchemaValidator schemas) {
      this.schemas = requireNonNull(schemas, "schemas is null");
      return this;
    }

    /**
     * Told of every launch, end, phase of a run and service request, and given the admission queue
     * to read; {@link RunMetrics#NONE} if unset.
     */
    public Builder metrics(RunMetrics metrics) {
      this.metrics = requireNonNull(metrics, "metrics is null");
      return this;
    }

    /**
     * Whether this Toolrun is the writer of its records and workloads now; while it is not, the
     * writes its callers ask for (launch, register, delete, cancel, stop) are refused with {@code
     * RuntimeUnavailableException} and readiness says why. For several replicas over the same
     * records, of which one is elected: start the Toolrun ({@link Toolrun#start()}) only once it
     * leads. {@link Leadership#SOLE} if unset.
     */
    public Builder leadership(Leadership leadership) {
      this.leadership = requireNonNull(leadership, "leadership is null");
      return this;
    }

    /** How many instances of each mode may be active at once; {@link Capacity#DEFAULT} if unset. */
    public Builder capacity(Capacity capacity) {
      this.capacity = requireNonNull(capacity, "capacity is null");
      return this;
    }

    /** How long records of ended instances are kept; {@link Retention#DEFAULT} if unset. */
    public Builder retention(Retention retention) {
      this.retention = requireNonNull(retention, "retention is null");
      return this;
    }

    /**
     * How much heap the instance records held in memory may take; past it, launches are refused. If
     * unset, {@link MemoryBudget#ofThisHeap()}: a quarter of the maximum heap.
     */
    public Builder memoryBudget(MemoryBudget memoryBudget) {
      this.memoryBudget = requireNonNull(memoryBudget, "memoryBudget is null");
      return this;
    }

    /**
     * Runs launches off the callers' threads and schedules retries, health checks and retention.
     * Its owner shuts it down, after closing the Toolrun. If unset, Toolrun creates one of {@link
     * #DEFAULT_THREADS} daemon threads and shuts it down on {@link Toolrun#close()}.
     */
    public Builder executor(ScheduledExecutorService executor) {
      this.executor = Optional.of(requireNonNull(executor, "executor is null"));
      return this;
    }

    /** Stamps records; {@link Clock#systemUTC()} if unset. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock is null");
      return this;
    }

    /** Makes instance ids; a {@link SecureRandom} if unset. */
    public Builder random(RandomGenerator random) {
      this.random = requireNonNull(random, "random is null");
      return this;
    }

    /**
     * A Toolrun over the ports given; nothing runs until {@link Toolrun#start()}.
     *
     * @throws NullPointerException when a required port was not given
     */
    public Toolrun build() {
      if (memoryBudget == null) {
        memoryBudget = MemoryBudget.ofThisHeap();
      }
      return new Toolrun(this);
    }
  }
}
