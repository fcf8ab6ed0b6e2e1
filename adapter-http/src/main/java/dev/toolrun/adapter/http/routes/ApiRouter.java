package dev.toolrun.adapter.http.routes;

import dev.toolrun.adapter.http.Authentication;
import dev.toolrun.adapter.http.JsonLimits;
import dev.toolrun.adapter.http.auth.BearerAuthenticator;
import dev.toolrun.adapter.http.contract.ApiOperation;
import dev.toolrun.adapter.http.contract.ContractCheck;
import dev.toolrun.adapter.http.contract.DirectValidation;
import dev.toolrun.adapter.http.contract.FaithfulRequestExtractor;
import dev.toolrun.adapter.http.contract.ValidatorFailures;
import dev.toolrun.adapter.http.dashboard.Dashboard;
import dev.toolrun.adapter.http.error.ErrorResponder;
import dev.toolrun.adapter.http.protocol.StrictRequests;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Builds the router of the API from its contract: every operation bound to the one endpoint of a
 * route class, behind the common headers, the bearer check and the body limit, with every failure
 * answered by {@link ErrorResponder}.
 */
public final class ApiRouter {
  /** Statuses the router answers by itself, without a failure: each gets the JSON error body. */
  private static final List<Integer> ERROR_STATUSES = List.of(400, 401, 404, 405, 413, 415, 500);

  private ApiRouter() {}

  /**
   * The router serving {@code routes} and the contract {@code document} itself.
   *
   * @param contract the loaded {@code document}
   * @param metricsNeedToken whether {@code /metrics} wants the bearer token too
   * @param maxBodyBytes the largest request body read; larger ones get 413
   * @param json how many JSON tokens a body may hold (413 past it) and how deep it may nest (400)
   * @param heartbeat how often an event stream with nothing to send sends a comment
   * @throws IllegalStateException when the contract and the routes do not name the same operations
   */
  public static Router create(
      Vertx vertx,
      OpenAPIContract contract,
      byte[] document,
      Authentication authentication,
      boolean metricsNeedToken,
      long maxBodyBytes,
      JsonLimits json,
      Duration heartbeat,
      List<Routes> routes) {
    List<Map<ApiOperation, Endpoint>> groups = new ArrayList<>();
    routes.forEach(group -> groups.add(group.endpoints()));
    groups.add(new ContractRoutes(document).endpoints());
    Map<ApiOperation, Endpoint> endpoints = bind(groups);
    ContractCheck.check(contract);
    RouterBuilder builder =
        RouterBuilder.create(vertx, contract, new FaithfulRequestExtractor(json));
    // Vert.x Web accepts root handlers only in the order of their types; as platform handlers these
    // two run before the body handler, so an anonymous caller's body is never read.
    builder.rootHandler((PlatformHandler) ApiRouter::commonHeaders);
    builder.rootHandler(new BearerAuthenticator(authentication, metricsNeedToken));
    builder.rootHandler(
        BodyHandler.create(false).setHandleFileUploads(false).setBodyLimit(maxBodyBytes));
    EndpointHandler handlers = new EndpointHandler(vertx, heartbeat);
    endpoints.forEach(
        (operation, endpoint) -> {
          OpenAPIRoute route =
              builder
                  .getRoute(operation.operationId())
                  // The router only accepts JWT handlers for a bearer scheme; the token here is
                  // opaque, so BearerAuthenticator checks it as a root handler instead.
                  .setDoSecurity(false);
          DirectValidation.of(route.getOperation())
              .ifPresent(direct -> route.setDoValidation(false).addHandler(direct));
          route.addHandler(handlers.of(endpoint));
        });
    Router router = builder.createRouter();
    // After the root handlers: the dashboard's files get the common headers and need no token.
    Dashboard.install(router);
    // Ahead of everything, the mounted routers too: what must be refused before anything reads the
    // request, then HEAD, which the contract does not list, served by each GET operation.
    router.route().order(Integer.MIN_VALUE).handler(new StrictRequests());
    router
        .route()
        .method(HttpMethod.HEAD)
        .order(Integer.MIN_VALUE + 1)
        .handler(rc -> headAsGet(rc, contract));
    ErrorResponder errors =
        new ErrorResponder(
            maxBodyBytes, path -> allowedMethods(contract, path), ValidatorFailures::problem);
    router.route().failureHandler(errors.failureHandler());
    for (int status : ERROR_STATUSES) {
      router.errorHandler(status, errors.errorHandler(status));
    }
    return router;
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

  private static void commonHeaders(RoutingContext rc) {
    rc.response()
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store");
    rc.next();
  }

  /**
   * Serves a HEAD by the GET operation of its path, if there is one: the router runs the request
   * again as a GET, while Vert.x, which knows the request came as HEAD, sends no body.
   */
  private static void headAsGet(RoutingContext rc, OpenAPIContract contract) {
    String path;
    try {
      path = rc.normalizedPath();
    } catch (IllegalArgumentException e) {
      rc.next();
      return;
    }
    if (allowedMethods(contract, path).contains(HttpMethod.GET)) {
      // An event stream answers a HEAD with its headers and ends at once.
      rc.put(EndpointHandler.HEAD, true);
      rc.reroute(HttpMethod.GET, rc.request().uri());
    } else {
      rc.next();
    }
  }

  // HEAD wherever GET is, as headAsGet serves it. The router takes /v1/tools/ for /v1/tools, as
  // it ignores a trailing slash, but the contract does not know it.
  private static Set<HttpMethod> allowedMethods(OpenAPIContract contract, String path) {
    Path found = contract.findPath(path);
    if (found == null && path.length() > 1 && path.endsWith("/")) {
      found = contract.findPath(path.substring(0, path.length() - 1));
    }
    if (found == null) {
      return Set.of();
    }
    Set<HttpMethod> methods =
        found.getOperations().stream()
            .map(Operation::getHttpMethod)
            .collect(Collectors.toCollection(HashSet::new));
    if (methods.contains(HttpMethod.GET)) {
      methods.add(HttpMethod.HEAD);
    }
    return methods;
  }
}
