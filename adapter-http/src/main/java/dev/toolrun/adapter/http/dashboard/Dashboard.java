package dev.toolrun.adapter.http.dashboard;

import dev.toolrun.adapter.http.error.HttpErrorCode;
import dev.toolrun.adapter.http.error.Problem;
import dev.toolrun.adapter.http.error.ProblemException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * Serves the dashboard's files (HTML, CSS and JavaScript modules under {@value #WEB_ROOT} in the
 * jar) at {@value #PATH}, and redirects {@code /ui} there. A file that is not there falls through
 * to the router's 404, the API's JSON error; any method but GET and HEAD is a 405.
 *
 * <p>It is not part of the OpenAPI contract: it is a client of the API, not an operation of it, and
 * the contract's routes never see these paths.
 */
public final class Dashboard {
  /** Where the dashboard is served. */
  public static final String PATH = "/ui/";

  static final String WEB_ROOT = "toolrun-dashboard";

  /**
   * Only the dashboard's own files run, are styled and are fetched from (the API is on the same
   * origin): no inline script or style, no other origin, no framing, no form sent elsewhere.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none';"
          + " object-src 'none'";

  private static final String ALLOWED = "GET, HEAD";

  private Dashboard() {}

  /** Adds the dashboard's routes to {@code router}, after its root handlers. */
  public static void install(Router router) {
    StaticHandler files =
        StaticHandler.create(WEB_ROOT)
            .setDirectoryListing(false)
            .setIncludeHidden(false)
            .setDefaultContentEncoding("UTF-8");
    router.route("/ui").handler(Dashboard::redirect);
    router.route(PATH + "*").handler(Dashboard::headers).handler(files);
  }

  private static void redirect(RoutingContext rc) {
    // The router matches /ui/ here too, as it ignores a trailing slash.
    if (!rc.request().path().equals("/ui")) {
      rc.next();
      return;
    }
    if (!isRead(rc.request().method())) {
      rc.fail(notAllowed(rc.request().method()));
      return;
    }
    rc.response().setStatusCode(301).putHeader(HttpHeaders.LOCATION, PATH).end();
  }

  private static void headers(RoutingContext rc) {
    if (!isRead(rc.request().method())) {
      rc.fail(notAllowed(rc.request().method()));
      return;
    }
    rc.response()
        .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        .putHeader("Referrer-Policy", "no-referrer")
        // Not no-store, as the API's answers have: the files may be kept, but are checked again
        // (Last-Modified) at each load, so a new toolrun's dashboard is never run from a stale
        // copy.
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
    rc.next();
  }

  private static boolean isRead(HttpMethod method) {
    return method == HttpMethod.GET || method == HttpMethod.HEAD;
  }

  private static ProblemException notAllowed(HttpMethod method) {
    return new ProblemException(
        Problem.of(
                HttpErrorCode.METHOD_NOT_ALLOWED,
                "%s is not allowed here; allowed: %s".formatted(method.name(), ALLOWED))
            .withHeader("Allow", ALLOWED));
  }
}
