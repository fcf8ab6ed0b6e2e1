package dev.toolrun.adapter.http;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The versioned REST API: an HTTP server whose routes, request validation and operation binding all
 * come from {@code openapi.yaml}.
 *
 * <p>Use cases may block, so endpoints that call them run on Vert.x worker threads and the event
 * loop only moves bytes. A use case that answers later (a request forwarded to a service) holds a
 * worker thread only until it has taken the request; its answer is sent from the request's event
 * loop when it comes. The {@link Vertx} instance belongs to the caller, who closes it.
 */
public final class HttpApi {
  private static final Logger LOG = System.getLogger(HttpApi.class.getName());
  private static final long START_TIMEOUT_SECONDS = 30;

  /** Statuses the router answers by itself, without a failure: each gets the JSON error body. */
  private static final List<Integer> ERROR_STATUSES = List.of(400, 401, 404, 405, 413, 415, 500);

  private final Vertx vertx;
  private final HttpConfig config;
  private final List<Map<ApiOperation, Endpoint>> routes;
  private final Map<String, Router> mounts = new LinkedHashMap<>();
  private HttpServer server;

  /**
   * An API serving the given routes with {@code vertx}, as {@code config} says; not yet listening.
   */
  public HttpApi(
      Vertx vertx,
      HttpConfig config,
      ToolRoutes tools,
      InstanceRoutes instances,
      ServiceRoutes services,
      RuntimeRoutes runtime,
      HealthRoutes health) {
    this.vertx = requireNonNull(vertx, "vertx is null");
    this.config = requireNonNull(config, "config is null");
    this.routes =
        List.of(
            requireNonNull(tools, "tools is null").endpoints(),
            requireNonNull(instances, "instances is null").endpoints(),
            requireNonNull(services, "services is null").endpoints(),
            requireNonNull(runtime, "runtime is null").endpoints(),
            requireNonNull(health, "health is null").endpoints());
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
    OpenAPIContract contract =
        ReusedValidators.of(
            await(OpenAPIContract.from(vertx, ApiContract.parse(document)), "load openapi.yaml"));
    List<Map<ApiOperation, Endpoint>> all = new ArrayList<>(routes);
    all.add(new ContractRoutes(document).endpoints());
    Router router = router(contract, bind(all));
    HttpServerOptions options =
        new HttpServerOptions().setHost(config.host()).setPort(config.port());
    server =
        await(
            vertx
                .createHttpServer(options)
                .requestHandler(router)
                .invalidRequestHandler(
                    ErrorResponder.invalidRequestHandler(
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
    if (server == null) {
      return;
    }
    HttpServer closing = server;
    server = null;
    await(closing.close(), "close the HTTP server");
  }

  /**
   * The endpoint of every operation, from the route groups; fails unless each operation has exactly
   * one.
   */
  static Map<ApiOperation, Endpoint> bind(List<Map<ApiOperation, Endpoint>> groups) {
    Map<ApiOperation, Endpoint> bound = new EnumMap<>(ApiOperation.class);
    for (Map<ApiOperation, Endpoint> group : groups) {
      group.forEach(
          (operation, endpoint) -> {
            if (bound.put(operation, endpoint) != null) {
              throw new IllegalStateException(
                  "operation " + operation.operationId() + " is bound twice");
            }
          });
    }
    Set<ApiOperation> unbound = EnumSet.allOf(ApiOperation.class);
    unbound.removeAll(bound.keySet());
    if (!unbound.isEmpty()) {
      throw new IllegalStateException("operations without an endpoint: " + unbound);
    }
    return bound;
  }

  /**
   * Checks that {@code contract} and {@link ApiOperation} name the same operations, and that
   * exactly the operations under {@code /v1} require authentication, which is what {@link
   * BearerAuthenticator} enforces.
   */
  static void checkContract(OpenAPIContract contract) {
    List<String> problems = new ArrayList<>();
    Set<String> declared = new TreeSet<>();
    for (Operation operation : contract.operations()) {
      String id = operation.getOperationId();
      declared.add(id);
      if (ApiOperation.byOperationId(id).isEmpty()) {
        problems.add("operation " + id + " is not in ApiOperation");
      }
      boolean secured =
          !operation.getSecurityRequirements().isEmpty()
              && operation.getSecurityRequirements().stream()
                  .noneMatch(SecurityRequirement::isEmpty);
      boolean isProtected = BearerAuthenticator.isProtected(operation.getOpenAPIPath());
      if (secured != isProtected) {
        problems.add(
            "operation %s at %s %s a bearer token, but the server %s one"
                .formatted(
                    id,
                    operation.getOpenAPIPath(),
                    secured ? "requires" : "does not require",
                    isProtected ? "requires" : "does not require"));
      }
    }
    for (ApiOperation operation : ApiOperation.values()) {
      if (!declared.contains(operation.operationId())) {
        problems.add("ApiOperation " + operation + " is not in the contract");
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException("openapi.yaml and the server disagree: " + problems);
    }
  }

  private Router router(OpenAPIContract contract, Map<ApiOperation, Endpoint> endpoints) {
    checkContract(contract);
    RouterBuilder builder = RouterBuilder.create(vertx, contract, new FaithfulRequestExtractor());
    // Vert.x Web accepts root handlers only in the order of their types; as platform handlers these
    // two run before the body handler, so an anonymous caller's body is never read.
    builder.rootHandler((PlatformHandler) HttpApi::commonHeaders);
    builder.rootHandler(new BearerAuthenticator(config.authentication()));
    builder.rootHandler(
        BodyHandler.create(false).setHandleFileUploads(false).setBodyLimit(config.maxBodyBytes()));
    endpoints.forEach(
        (operation, endpoint) ->
            builder
                .getRoute(operation.operationId())
                // The router only accepts JWT handlers for a bearer scheme; the token here is
                // opaque, so BearerAuthenticator checks it as a root handler instead.
                .setDoSecurity(false)
                .addHandler(handler(endpoint)));
    Router router = builder.createRouter();
    int order = -mounts.size();
    for (Map.Entry<String, Router> mount : mounts.entrySet()) {
      router.route(mount.getKey() + "/*").order(order++).subRouter(mount.getValue());
    }
    ErrorResponder errors =
        new ErrorResponder(config.maxBodyBytes(), path -> allowedMethods(contract, path));
    router.route().failureHandler(errors.failureHandler());
    for (int status : ERROR_STATUSES) {
      router.errorHandler(status, errors.errorHandler(status));
    }
    return router;
  }

  private static void commonHeaders(RoutingContext rc) {
    rc.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    rc.next();
  }

  private static Set<HttpMethod> allowedMethods(OpenAPIContract contract, String path) {
    Path found = contract.findPath(path);
    return found == null
        ? Set.of()
        : found.getOperations().stream().map(Operation::getHttpMethod).collect(Collectors.toSet());
  }

  private Handler<RoutingContext> handler(Endpoint endpoint) {
    return rc -> {
      ApiRequest request = ApiRequest.of(rc);
      // The request's own event loop: an answer that comes later, on whichever thread completed
      // it, is sent from here.
      Context context = vertx.getOrCreateContext();
      Future<CompletionStage<Reply>> handled =
          endpoint.blocking()
              // Unordered: requests of one connection need not wait for each other's use cases.
              ? vertx.executeBlocking(() -> endpoint.handler().handle(request), false)
              : Future.succeededFuture(endpoint.handler().handle(request));
      // NOTE: a deferred answer MUST NOT be awaited on a worker thread. The worker is given back
      // once the handler has returned its stage; otherwise slow services would exhaust the pool.
      handled
          .compose(stage -> Future.fromCompletionStage(stage, context))
          .onComplete(
              done -> {
                if (done.succeeded()) {
                  send(rc, done.result());
                } else {
                  rc.fail(unwrap(done.cause()));
                }
              });
    };
  }

  // A stage derived from a failed one fails with the original failure wrapped; the error mapping
  // needs the original.
  private static Throwable unwrap(Throwable failure) {
    Throwable cause = failure;
    while (cause instanceof CompletionException && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  private static void send(RoutingContext rc, Reply reply) {
    HttpServerResponse response = rc.response();
    if (response.closed() || response.ended()) {
      return;
    }
    reply.headers().forEach(response::putHeader);
    response.setStatusCode(reply.status());
    if (reply.contentType() == null) {
      response.end();
    } else {
      response
          .putHeader(HttpHeaders.CONTENT_TYPE, reply.contentType())
          .end(Buffer.buffer(reply.body()));
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
