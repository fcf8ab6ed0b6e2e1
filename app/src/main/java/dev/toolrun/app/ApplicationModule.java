package dev.toolrun.app;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import dev.toolrun.application.Toolrun;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.Retention;
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
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.in.StopInstanceUseCase;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * The application core and what every adapter shares: the clock, Vert.x, the use cases. The core
 * is built by hand ({@link Toolrun}); this module only hands its use cases out.
 */
final class ApplicationModule extends AbstractModule {
  /**
   * The core's threads start admitted launches, and a launch waits on the runtime's API calls (a Job
   * and its inputs created one after the other): with two threads, 100 launches at once reached the
   * cluster two at a time (docs/benchmarks.md, figure 3). Eight keep the API server busy without
   * flooding it; the client-side rate limit still bounds the request rate.
   */
  private static final int CORE_THREADS = 8;

  private final Capacity capacity;
  private final Retention retention;

  ApplicationModule(Capacity capacity, Retention retention) {
    this.capacity = requireNonNull(capacity, "capacity is null");
    this.retention = requireNonNull(retention, "retention is null");
  }

  @Override
  protected void configure() {
    bind(Capacity.class).toInstance(capacity);
    bind(Retention.class).toInstance(retention);
    bind(Clock.class).toInstance(Clock.systemUTC());
    // Adapters add what the app must close at shutdown; declared here so the set always exists.
    Multibinder.newSetBinder(binder(), AutoCloseable.class);
  }

  @Provides
  @Singleton
  static Vertx vertx() {
    return Vertx.vertx();
  }


  @Provides
  @Singleton
  static ScheduledExecutorService coreExecutor() {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            CORE_THREADS,
            task -> {
              Thread thread = new Thread(task, "toolrun-core");
              thread.setDaemon(true);
              return thread;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }

  @Provides
  @Singleton
  static Toolrun application(
      ToolRepository tools,
      InstanceRepository instances,
      LogStore logs,
      WorkloadRuntime runtime,
      Capacity capacity,
      Retention retention,
      ScheduledExecutorService executor,
      Clock clock) {
    return Toolrun.builder()
        .tools(tools)
        .instances(instances)
        .logs(logs)
        .runtime(runtime)
        .capacity(capacity)
        .retention(retention)
        .executor(executor)
        .clock(clock)
        .random(new SecureRandom())
        .build();
  }

  @Provides
  static RegisterToolUseCase registerTool(Toolrun application) {
    return application.registerTool();
  }

  @Provides
  static GetToolUseCase getTool(Toolrun application) {
    return application.getTool();
  }

  @Provides
  static ListToolVersionsUseCase listToolVersions(Toolrun application) {
    return application.listToolVersions();
  }

  @Provides
  static ListToolsUseCase listTools(Toolrun application) {
    return application.listTools();
  }

  @Provides
  static DeleteToolUseCase deleteTool(Toolrun application) {
    return application.deleteTool();
  }

  @Provides
  static LaunchInstanceUseCase launchInstance(Toolrun application) {
    return application.launchInstance();
  }

  @Provides
  static GetInstanceUseCase getInstance(Toolrun application) {
    return application.getInstance();
  }

  @Provides
  static ListInstancesUseCase listInstances(Toolrun application) {
    return application.listInstances();
  }

  @Provides
  static CancelInstanceUseCase cancelInstance(Toolrun application) {
    return application.cancelInstance();
  }

  @Provides
  static StopInstanceUseCase stopInstance(Toolrun application) {
    return application.stopInstance();
  }

  @Provides
  static ExecuteRequestUseCase executeRequest(Toolrun application) {
    return application.executeRequest();
  }

  @Provides
  static GetInstanceLogsUseCase getInstanceLogs(Toolrun application) {
    return application.getInstanceLogs();
  }

  @Provides
  static DescribeRuntimeUseCase describeRuntime(Toolrun application) {
    return application.describeRuntime();
  }
}
