package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Scopes;
import dev.toolrun.adapter.http.routes.HealthRoutes;
import dev.toolrun.adapter.http.routes.InstanceRoutes;
import dev.toolrun.adapter.http.routes.RuntimeRoutes;
import dev.toolrun.adapter.http.routes.ServiceRoutes;
import dev.toolrun.adapter.http.routes.ToolRoutes;
import io.vertx.core.Vertx;

/**
 * Binds the REST API: {@link HttpApi}, its route classes and its configuration.
 *
 * <p>It expects the application to bind {@link Vertx} and every use case it needs; it creates
 * neither and starts nothing. The app owns the {@link HttpApi}'s start and stop.
 */
public final class HttpAdapterModule extends AbstractModule {
  private final HttpConfig config;
  private final HttpMetrics metrics;

  /** A module serving the API as {@code config} says, measuring nothing. */
  public HttpAdapterModule(HttpConfig config) {
    this(config, HttpMetrics.none());
  }

  /** A module serving the API as {@code config} says, with {@code metrics}. */
  public HttpAdapterModule(HttpConfig config, HttpMetrics metrics) {
    this.config = requireNonNull(config, "config is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
  }

  @Override
  protected void configure() {
    bind(HttpConfig.class).toInstance(config);
    bind(HttpMetrics.class).toInstance(metrics);
    // Each is built by its @Inject constructor from the use cases the application binds.
    bind(ToolRoutes.class).in(Scopes.SINGLETON);
    bind(InstanceRoutes.class).in(Scopes.SINGLETON);
    bind(ServiceRoutes.class).in(Scopes.SINGLETON);
    bind(RuntimeRoutes.class).in(Scopes.SINGLETON);
    bind(HealthRoutes.class).in(Scopes.SINGLETON);
    bind(HttpApi.class).in(Scopes.SINGLETON);
  }
}
