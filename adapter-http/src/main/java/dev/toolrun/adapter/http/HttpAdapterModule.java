package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.adapter.http.routes.HealthRoutes;
import dev.toolrun.adapter.http.routes.InstanceRoutes;
import dev.toolrun.adapter.http.routes.RuntimeRoutes;
import dev.toolrun.adapter.http.routes.ServiceRoutes;
import dev.toolrun.adapter.http.routes.ToolRoutes;
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
import io.vertx.core.Vertx;

/**
 * Binds the REST API: {@link HttpApi}, its route classes and its configuration.
 *
 * <p>It expects the application to bind {@link Vertx} and every use case it needs; it creates
 * neither and starts nothing. The app owns the {@link HttpApi}'s start and stop.
 */
public final class HttpAdapterModule extends AbstractModule {
  private final HttpConfig config;

  /** A module serving the API as {@code config} says. */
  public HttpAdapterModule(HttpConfig config) {
    this.config = requireNonNull(config, "config is null");
  }

  @Override
  protected void configure() {
    bind(HttpConfig.class).toInstance(config);
  }

  @Provides
  @Singleton
  static ToolRoutes toolRoutes(
      RegisterToolUseCase register,
      GetToolUseCase get,
      ListToolVersionsUseCase versions,
      ListToolsUseCase list,
      DeleteToolUseCase delete) {
    return new ToolRoutes(register, get, versions, list, delete);
  }

  @Provides
  @Singleton
  static InstanceRoutes instanceRoutes(
      LaunchInstanceUseCase launch,
      GetInstanceUseCase get,
      ListInstancesUseCase list,
      CancelInstanceUseCase cancel,
      StopInstanceUseCase stop,
      GetInstanceLogsUseCase logs) {
    return new InstanceRoutes(launch, get, list, cancel, stop, logs);
  }

  @Provides
  @Singleton
  static ServiceRoutes serviceRoutes(ExecuteRequestUseCase execute) {
    return new ServiceRoutes(execute);
  }

  @Provides
  @Singleton
  static RuntimeRoutes runtimeRoutes(DescribeRuntimeUseCase describe) {
    return new RuntimeRoutes(describe);
  }

  @Provides
  @Singleton
  static HealthRoutes healthRoutes() {
    return new HealthRoutes();
  }

  @Provides
  @Singleton
  static HttpApi httpApi(
      Vertx vertx,
      HttpConfig config,
      ToolRoutes tools,
      InstanceRoutes instances,
      ServiceRoutes services,
      RuntimeRoutes runtime,
      HealthRoutes health) {
    return new HttpApi(vertx, config, tools, instances, services, runtime, health);
  }
}
