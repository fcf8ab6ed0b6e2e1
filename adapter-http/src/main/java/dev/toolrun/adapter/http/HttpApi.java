package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

import com.google.inject.Inject;
import dev.toolrun.adapter.http.connection.ConnectionGuard;
import dev.toolrun.adapter.http.contract.ApiContract;
import dev.toolrun.adapter.http.error.UnparsableRequests;
import dev.toolrun.adapter.http.routes.ApiRouter;
import dev.toolrun.adapter.http.routes.HealthRoutes;
import dev.toolrun.adapter.http.routes.InstanceRoutes;
import dev.toolrun.adapter.http.routes.MetricsRoutes;
import dev.toolrun.adapter.http.routes.Routes;
import dev.toolrun.adapter.http.routes.RuntimeRoutes;
import dev.toolrun.adapter.http.routes.ServiceRoutes;
import dev.toolrun.adapter.http.routes.ToolRoutes;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.openapi.contract.OpenAPIContract;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The versioned REST API: an HTTP server whose routes, request validation and operation binding all
 * come from {@code openapi.yaml}.
 *
 * <p>This class owns only the server's start and stop. {@link ApiRouter} builds the router from the
 * contract and the route classes, and says on which threads endpoints run. The {@link Vertx}
 * instance belongs to the caller, who closes it.
 */
public final class HttpApi {
  private static final Logger LOG = System.getLogger(HttpApi.class.getName());
  private static final long START_TIMEOUT_SECONDS = 30;

  private final Vertx vertx;
  private final HttpConfig config;
  private final HttpMetrics metrics;
  private final List<Routes> routes;
  private final Map<String, Router> mounts = new LinkedHashMap<>();
  private HttpServer server;

  /**
   * An API serving the given routes with {@code vertx}, as {@code config} says; not yet listening.
   */
  @Inject
  public HttpApi(
      Vertx vertx,
      HttpConfig config,
      ToolRoutes tools,
      InstanceRoutes instances,
      ServiceRoutes services,
      RuntimeRoutes runtime,
      HealthRoutes health,
      HttpMetrics metrics) {
    this.vertx = requireNonNull(vertx, "vertx is null");
    this.config = requireNonNull(config, "config is null");
    this.metrics = requireNonNull(metrics, "metrics is null");
    this.routes =
        List.of(
            requireNonNull(tools, "tools is null"),
            requireNonNull(instances, "instances is null"),
            requireNonNull(services, "services is null"),
            requireNonNull(runtime, "runtime is null"),
            requireNonNull(health, "health is null"),
            new MetricsRoutes(metrics));
  }

  /**
   * Loads the contract, builds the router and starts listening; blocks until the server listens.
   * Must not be called on a Vert.x thread.
   *
   * @return the port the server listens on (the one picked when the configured port is 0)
   * @throws IllegalStateException when already started, or the server cannot start
   */
  public synchronized int start() {
    if (server != null) {
      throw new IllegalStateException("the HTTP API is already started");
    }
    byte[] document = ApiContract.document();
    // From the document's JSON form: the same contract without a YAML parser (ApiContract).
    OpenAPIContract contract =
        await(ApiContract.load(vertx, ApiContract.json()), "load openapi.json");
    Router router =
        ApiRouter.create(
            vertx,
            contract,
            document,
            config.authentication(),
            metrics.requireToken(),
            config.maxBodyBytes(),
            config.json(),
            config.streamHeartbeat(),
            routes);
    int order = -mounts.size();
    for (Map.Entry<String, Router> mount : mounts.entrySet()) {
      router.route(mount.getKey() + "/*").order(order++).subRouter(mount.getValue());
    }
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            // HTTP/1.1 only: the connection guard bounds HTTP/1.x connections, and an h2c one
            // would escape it. A client asking to upgrade simply goes on with HTTP/1.1.
            .setHttp2ClearTextEnabled(false);
    server =
        await(
            vertx
                .createHttpServer(options)
                .connectionHandler(
                    new ConnectionGuard(config.connections(), options, metrics.registry()))
                .requestHandler(router)
                .invalidRequestHandler(
                    UnparsableRequests.handler(
                        options.getMaxInitialLineLength(), options.getMaxHeaderSize()))
                .listen(),
            "listen on %s:%d".formatted(config.host(), config.port()));
    if (config.authentication() instanceof Authentication.Anonymous) {
      LOG.log(Level.WARNING, "the HTTP API accepts requests WITHOUT authentication, as configured");
    }
    LOG.log(
        Level.INFO, "HTTP API listening on {0}:{1,number,#}", config.host(), server.actualPort());
    return server.actualPort();
  }

  /**
   * Serves {@code router} at {@code path} and below it (e.g. the MCP endpoint at {@code /mcp}) on
   * the same server, ahead of the contract's routes and root handlers: it authenticates and reads
   * bodies itself. Call before {@link #start()}.
   */
  public synchronized void mount(String path, Router router) {
    if (server != null) {
      throw new IllegalStateException("mount " + path + " before the HTTP API starts");
    }
    mounts.put(requireNonNull(path, "path is null"), requireNonNull(router, "router is null"));
  }

  /** Stops listening and waits for the server to close; does nothing when not started. */
  public synchronized void stop() {
    stop(Duration.ZERO);
  }

  /**
   * Stops listening at once, lets the requests in flight finish for up to {@code drain}, then
   * closes every connection left (an event stream, which never ends by itself, among them); waits
   * for that. Does nothing when not started.
   */
  public synchronized void stop(Duration drain) {
    if (server == null) {
      return;
    }
    HttpServer closing = server;
    server = null;
    try {
      closing
          .shutdown(drain.toMillis(), TimeUnit.MILLISECONDS)
          .toCompletionStage()
          .toCompletableFuture()
          .get(drain.toMillis() + START_TIMEOUT_SECONDS * 1000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not close the HTTP server: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing the HTTP server", e);
    }
  }

  private static <T> T await(Future<T> future, String what) {
    try {
      return future
          .toCompletionStage()
          .toCompletableFuture()
          .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "could not " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "could not " + what + " within " + START_TIMEOUT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while trying to " + what, e);
    }
  }
}
