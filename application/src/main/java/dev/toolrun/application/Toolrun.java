package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.DeleteToolUseCase;
import dev.toolrun.ports.in.DescribeRuntimeUseCase;
import dev.toolrun.ports.in.ExecuteRequestUseCase;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.GetToolUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.ListInstancesUseCase;
import dev.toolrun.ports.in.ListToolVersionsUseCase;
import dev.toolrun.ports.in.ListToolsUseCase;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.random.RandomGenerator;

/**
 * The application core: builds every use-case service from the driven ports and hands them out by
 * use case. The services share one admission queue, which is why they are built together here and
 * not one by one by a container.
 */
public final class Toolrun {
  private final WorkloadRuntime runtime;
  private final RegisterToolService registration;
  private final ToolQueryService toolQueries;
  private final DeleteToolService deletion;
  private final LaunchInstanceService launch;
  private final InstanceQueryService queries;
  private final CancelInstanceService cancel;
  private final RecordRunProgressService progress;
  private final DescribeRuntimeService description;
  private final StopInstanceService stop;
  private final ExecuteRequestService requests;
  private final Recovery recovery;
  private final RetentionSweeper sweeper;
  private final ScheduledExecutorService executor;

  /** An application that keeps the records of ended instances as {@link Retention#DEFAULT} says. */
  public Toolrun(
      ToolRepository tools,
      InstanceRepository instances,
      LogStore logs,
      WorkloadRuntime runtime,
      Capacity capacity,
      ScheduledExecutorService executor,
      Clock clock,
      RandomGenerator random) {
    this(tools, instances, logs, runtime, capacity, Retention.DEFAULT, executor, clock, random);
  }

  /**
   * @param retention how long records of ended instances are kept
   * @param executor runs launches off the callers' threads and schedules retries, health checks and
   *     retention; owned by the caller, who shuts it down
   */
  public Toolrun(
      ToolRepository tools,
      InstanceRepository records,
      LogStore logs,
      WorkloadRuntime runtime,
      Capacity capacity,
      Retention retention,
      ScheduledExecutorService executor,
      Clock clock,
      RandomGenerator random) {
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.executor = requireNonNull(executor, "executor is null");
    requireNonNull(capacity, "capacity is null");
    InstanceRepository instances = new LogTailKeeping(records, logs);
    Admission admission = new Admission(capacity.maxServices(), capacity.maxTasks());
    InstanceStarter starter = new InstanceStarter(instances, runtime, admission, executor, clock);
    ServiceInstanceDirectory services = new ServiceInstanceDirectory(instances, tools);
    ServiceInstanceHealthMonitor monitor = new ServiceInstanceHealthMonitor(instances, runtime, services, starter, executor, clock);
    this.registration = new RegisterToolService(tools, runtime, clock);
    this.toolQueries = new ToolQueryService(tools);
    this.deletion = new DeleteToolService(tools, instances);
    this.launch = new LaunchInstanceService(tools, instances, runtime, starter, services, monitor, clock, random);
    this.queries = new InstanceQueryService(instances, logs, starter);
    this.cancel = new CancelInstanceService(instances, starter, clock);
    this.progress = new RecordRunProgressService(instances, starter, services, monitor);
    this.description = new DescribeRuntimeService(runtime, admission);
    this.stop = new StopInstanceService(instances, starter, services, monitor, clock);
    this.requests = new ExecuteRequestService(instances, runtime, services, executor);
    this.recovery = new Recovery(instances, tools, runtime, starter, monitor, clock);
    this.sweeper = new RetentionSweeper(instances, logs, retention, clock);
  }

  /**
   * Connects the runtime's observations to the instance records, picks up the instances a previous
   * run of toolrun left going, and starts the retention of old records; call once, before serving.
   */
  public void start() {
    runtime.observe(progress);
    recovery.recover();
    sweeper.schedule(executor);
  }

  public RegisterToolUseCase registerTool() {
    return registration;
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
    return deletion;
  }

  public LaunchInstanceUseCase launchInstance() {
    return launch;
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

  public CancelInstanceUseCase cancelInstance() {
    return cancel;
  }

  public RecordRunProgressUseCase recordRunProgress() {
    return progress;
  }

  public DescribeRuntimeUseCase describeRuntime() {
    return description;
  }

  public StopInstanceUseCase stopInstance() {
    return stop;
  }

  public ExecuteRequestUseCase executeRequest() {
    return requests;
  }
}
