package dev.toolrun.adapter.mcp.transport;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.Optional;

/**
 * Lets a request to the MCP endpoint through only with the configured bearer token, the same one
 * the REST API takes. It runs before the body is read and before any session exists, so a caller
 * without the token learns nothing and opens nothing. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, as the REST API does.
 */
public final class BearerTokenGate implements Handler<RoutingContext> {
  private static final String CHALLENGE = "Bearer realm=\"toolrun\"";

  private final Optional<byte[]> expectedDigest;

  /** A gate for {@code token}; with no token every request passes (anonymous, local use only). */
  public BearerTokenGate(Optional<String> token) {
    this.expectedDigest = requireNonNull(token, "token is null").map(BearerTokenGate::digest);
  }

  @Override
  public void handle(RoutingContext rc) {
    if (expectedDigest.isEmpty()) {
      rc.next();
      return;
    }
    Optional<String> token = token(rc.request().getHeader(HttpHeaders.AUTHORIZATION));
    if (token.isEmpty()) {
      refuse(rc, CHALLENGE, "a bearer token is required: send 'Authorization: Bearer <token>'");
      return;
    }
    if (!MessageDigest.isEqual(expectedDigest.get(), digest(token.get()))) {
      refuse(rc, CHALLENGE + ", error=\"invalid_token\"", "the bearer token is not valid");
      return;
    }
    rc.next();
  }

  private static void refuse(RoutingContext rc, String challenge, String message) {
    rc.response()
        .setStatusCode(401)
        .putHeader("WWW-Authenticate", challenge)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(
            "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\""
                + message.replace("'", "\\u0027")
                + "\"}}");
  }

  private static Optional<String> token(String header) {
    if (header == null) {
      return Optional.empty();
    }
    int space = header.indexOf(' ');
    if (space < 0 || !header.substring(0, space).toLowerCase(Locale.ROOT).equals("bearer")) {
      return Optional.empty();
    }
    String token = header.substring(space + 1).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }

  private static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
