package dev.toolrun.adapter.mcp;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.toolrun.ports.in.CancelInstanceUseCase;
import dev.toolrun.ports.in.GetInstanceLogsUseCase;
import dev.toolrun.ports.in.GetInstanceUseCase;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.in.ListToolsUseCase;
import io.vertx.core.Vertx;

/**
 * Binds the MCP endpoint ({@link McpEndpoint}) and its configuration.
 *
 * <p>It expects the application to bind {@link Vertx} and the use cases; it starts nothing. The app
 * mounts {@link McpEndpoint#router()} on the HTTP server and owns the endpoint's start and close.
 */
public final class McpAdapterModule extends AbstractModule {
  private final McpConfig config;

  public McpAdapterModule(McpConfig config) {
    this.config = requireNonNull(config, "config is null");
  }

  @Override
  protected void configure() {
    bind(McpConfig.class).toInstance(config);
  }

  @Provides
  @Singleton
  static McpEndpoint mcpEndpoint(
      Vertx vertx,
      McpConfig config,
      ListToolsUseCase listTools,
      LaunchInstanceUseCase launch,
      GetInstanceUseCase getInstance,
      CancelInstanceUseCase cancel,
      GetInstanceLogsUseCase logs) {
    return new McpEndpoint(vertx, config, listTools, launch, getInstance, cancel, logs);
  }
}
