package dev.toolrun.adapter.mcp;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
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
    bind(McpEndpoint.class).in(Scopes.SINGLETON);
  }
}
