package dev.toolrun.adapter.http.auth;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.Authentication;
import dev.toolrun.adapter.http.error.HttpErrorCode;
import dev.toolrun.adapter.http.error.Problem;
import dev.toolrun.adapter.http.error.ProblemException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * Lets a request under {@code /v1} through only with the configured bearer token.
 *
 * <p>It runs as one of the router's first root handlers, before the body is read and before the
 * contract is checked, so an anonymous caller learns nothing and costs nothing. Vert.x Web orders
 * root handlers by type and puts authentication handlers after the body handler; declaring this one
 * a {@link PlatformHandler} is what lets it run first. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, so the time taken reveals neither the token's content nor its
 * length.
 */
public final class BearerAuthenticator implements PlatformHandler {
  /**
   * Every path below this prefix needs authentication; nothing else does but, if asked, /metrics.
   */
  private static final String PROTECTED_PREFIX = "/v1";

  private static final String SCHEME = "bearer";
  private static final String CHALLENGE = "Bearer realm=\"toolrun\"";

  private static final String METRICS_PATH = "/metrics";

  /** Never used itself, only cloned: a digest holds state. */
  private static final MessageDigest SHA_256 = sha256();

  private final Optional<byte[]> expectedDigest;
  private final boolean metricsToo;

  public BearerAuthenticator(Authentication authentication) {
    this(authentication, false);
  }

  /**
   * @param metricsToo whether {@code /metrics} wants the token as well ({@code metrics.auth=token})
   */
  public BearerAuthenticator(Authentication authentication, boolean metricsToo) {
    requireNonNull(authentication, "authentication is null");
    this.metricsToo = metricsToo;
    this.expectedDigest =
        authentication instanceof Authentication.BearerToken bearer
            ? Optional.of(digest(bearer.token()))
            : Optional.empty();
  }

  /** Whether a request for {@code path} (normalized) must authenticate. */
  public static boolean isProtected(String path) {
    return path.equals(PROTECTED_PREFIX) || path.startsWith(PROTECTED_PREFIX + "/");
  }

  @Override
  public void handle(RoutingContext rc) {
    String path;
    try {
      path = rc.normalizedPath();
    } catch (IllegalArgumentException e) {
      // Vert.x normalizes the path lazily and refuses malformed escapes such as %zz.
      rc.fail(
          new ProblemException(
              Problem.of(HttpErrorCode.MALFORMED_REQUEST, "the request path cannot be decoded")));
      return;
    }
    if (expectedDigest.isEmpty()
        || !(isProtected(path) || (metricsToo && path.equals(METRICS_PATH)))) {
      rc.next();
      return;
    }
    Optional<String> token = token(rc.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (token.isEmpty()) {
      rc.fail(
          unauthorized(
              "a bearer token is required: send 'Authorization: Bearer <token>'", CHALLENGE));
      return;
    }
    if (!MessageDigest.isEqual(expectedDigest.get(), digest(token.get()))) {
      rc.fail(
          unauthorized("the bearer token is not valid", CHALLENGE + ", error=\"invalid_token\""));
      return;
    }
    rc.next();
  }

  private static Optional<String> token(String header) {
    if (header == null) {
      return Optional.empty();
    }
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals(SCHEME)) {
      return Optional.empty();
    }
    String token = header.substring(space + 1).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  private static ProblemException unauthorized(String message, String challenge) {
    return new ProblemException(
        Problem.of(HttpErrorCode.UNAUTHORIZED, message).withHeader("WWW-Authenticate", challenge));
  }

  private static byte[] digest(String token) {
    try {
      // A copy of one prepared digest: looking SHA-256 up among the security providers at every
      // request cost more than hashing the token.
      return ((MessageDigest) SHA_256.clone()).digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 digest can be cloned", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
