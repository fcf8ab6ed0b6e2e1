package dev.toolrun.app;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provider;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.adapter.metrics.MetricsAdapter;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.MemoryBudget;
import dev.toolrun.application.Retention;
import dev.toolrun.application.Toolrun;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Leadership;
import dev.toolrun.ports.out.LogStore;
import dev.toolrun.ports.out.RunMetrics;
import dev.toolrun.ports.out.SchemaValidator;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The application core and what every adapter shares: the clock, Vert.x, the use cases. The core is
 * built by hand ({@link Toolrun}); this module binds each use case the core hands out to the core's
 * own getter for it, found by type, so that a use case added to the core is bound without a line
 * here, and none can be bound to anything else.
 */
final class ApplicationModule extends AbstractModule {
  private final Capacity capacity;
  private final Retention retention;
  private final MemoryBudget memoryBudget;
  private final Leadership leadership;

  ApplicationModule(
      Capacity capacity, Retention retention, MemoryBudget memoryBudget, Leadership leadership) {
    this.capacity = requireNonNull(capacity, "capacity is null");
    this.retention = requireNonNull(retention, "retention is null");
    this.memoryBudget = requireNonNull(memoryBudget, "memoryBudget is null");
    this.leadership = requireNonNull(leadership, "leadership is null");
  }

  @Override
  protected void configure() {
    bind(Capacity.class).toInstance(capacity);
    bind(Retention.class).toInstance(retention);
    bind(MemoryBudget.class).toInstance(memoryBudget);
    bind(Leadership.class).toInstance(leadership);
    bind(Clock.class).toInstance(Clock.systemUTC());
    Provider<Toolrun> core = getProvider(Toolrun.class);
    for (Method getter : useCaseGetters()) {
      bindUseCase(getter.getReturnType(), getter, core);
    }
  }

  /**
   * The core's getters that hand out a use case: public, without parameters, returning a driving
   * port (an interface of {@code dev.toolrun.ports.in} named {@code ...UseCase}); by name.
   */
  static List<Method> useCaseGetters() {
    return Arrays.stream(Toolrun.class.getMethods())
        .filter(method -> method.getParameterCount() == 0 && isUseCase(method.getReturnType()))
        .sorted(Comparator.comparing(Method::getName))
        .toList();
  }

  /** Whether {@code type} is a driving port, the kind of type the core hands out. */
  static boolean isUseCase(Class<?> type) {
    return type.isInterface()
        && type.getPackageName().equals(LaunchInstanceUseCase.class.getPackageName())
        && type.getSimpleName().endsWith("UseCase");
  }

  private <T> void bindUseCase(Class<T> type, Method getter, Provider<Toolrun> core) {
    Provider<T> fromCore = () -> type.cast(invoke(getter, core.get()));
    bind(type).toProvider(fromCore);
  }

  private static Object invoke(Method getter, Toolrun core) {
    try {
      return getter.invoke(core);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("the core's getter " + getter + " is not public", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "the core's getter " + getter.getName() + " failed", e.getCause());
    }
  }

  @Provides
  @Singleton
  static Vertx vertx(MetricsAdapter metrics) {
    // Made by the metrics adapter, which measures its HTTP server when metrics are on.
    return metrics.newVertx(new VertxOptions());
  }

  @Provides
  @Singleton
  static ScheduledExecutorService coreExecutor() {
    // The app owns the core's executor, so that its lifecycle stops it after the core.
    return Toolrun.newCoreExecutor();
  }

  @Provides
  @Singleton
  static Toolrun application(
      ToolRepository tools,
      InstanceRepository instances,
      LogStore logs,
      WorkloadRuntime runtime,
      SchemaValidator schemas,
      RunMetrics metrics,
      Capacity capacity,
      Retention retention,
      MemoryBudget memoryBudget,
      Leadership leadership,
      ScheduledExecutorService executor,
      Clock clock) {
    return Toolrun.builder()
        .tools(tools)
        .instances(instances)
        .logs(logs)
        .runtime(runtime)
        .schemas(schemas)
        .metrics(metrics)
        .capacity(capacity)
        .retention(retention)
        .memoryBudget(memoryBudget)
        .leadership(leadership)
        .executor(executor)
        .clock(clock)
        .random(new SecureRandom())
        .build();
  }
}
