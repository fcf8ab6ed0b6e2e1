package dev.toolrun.adapter.http.error;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.contract.SchemaViolations;
import dev.toolrun.adapter.http.mapping.JsonCodec;
import dev.toolrun.adapter.http.routes.Reply;
import dev.toolrun.domain.error.ErrorCode;
import dev.toolrun.domain.error.TooManyRequestsException;
import dev.toolrun.domain.error.ToolrunException;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Answers every failed request with an {@link dev.toolrun.adapter.http.dto.ErrorResponse}: the
 * router's failure handler, its error handlers by status and the server's handler for requests it
 * cannot parse all come here, so there is one mapping from what went wrong to status, code and
 * message.
 */
public final class ErrorResponder {
  private static final Logger LOG = System.getLogger(ErrorResponder.class.getName());
  // How the contract validator names a parameter in its messages.
  private static final Pattern PARAMETER =
      Pattern.compile(
          ".*\\b(?:query|path|header|cookie) parameter (\\S+?)(?: is| can't| doesn't|\\.|$).*",
          Pattern.DOTALL);
  private static final int MAX_ECHOED_PATH = 200;

  private final long maxBodyBytes;
  private final Function<String, Set<HttpMethod>> allowedMethods;

  /**
   * @param allowedMethods the methods the contract allows on a path, for the {@code Allow} header
   *     of a 405
   */
  public ErrorResponder(long maxBodyBytes, Function<String, Set<HttpMethod>> allowedMethods) {
    this.maxBodyBytes = maxBodyBytes;
    this.allowedMethods = requireNonNull(allowedMethods, "allowedMethods is null");
  }

  /** The handler for failed routing contexts, whatever the status. */
  public Handler<RoutingContext> failureHandler() {
    return rc -> respond(rc, rc.statusCode());
  }

  /**
   * The handler the router calls for {@code status} when no failure handler answered; the router
   * does not always record the status on the context then, so it is fixed here.
   */
  public Handler<RoutingContext> errorHandler(int status) {
    return rc -> respond(rc, rc.statusCode() > 0 ? rc.statusCode() : status);
  }

  /**
   * The handler for requests the HTTP codec could not parse, which never reach the router: a
   * request line or headers beyond the server's limits, or a request that is not HTTP/1.x. The
   * connection is closed after the answer, since what follows on it cannot be trusted; the answer
   * says so, lest the client send its next request on it.
   *
   * @param maxLineBytes the server's limit on the request line
   * @param maxHeaderBytes the server's limit on the headers
   */
  public static Handler<HttpServerRequest> invalidRequestHandler(
      int maxLineBytes, int maxHeaderBytes) {
    return request -> {
      Throwable cause = request.decoderResult().cause();
      Problem problem;
      if (cause instanceof TooLongHttpLineException) {
        problem =
            malformed(
                414,
                "the request line (method, path and query) exceeds the limit of %d bytes"
                    .formatted(maxLineBytes));
      } else if (cause instanceof TooLongHttpHeaderException) {
        problem =
            malformed(
                431, "the request headers exceed the limit of %d bytes".formatted(maxHeaderBytes));
      } else {
        problem = malformed(400, "the request is not valid HTTP");
      }
      LOG.log(Level.DEBUG, "refused a request the HTTP codec could not parse: {0}", cause);
      request
          .response()
          .setStatusCode(problem.status())
          .putHeader(HttpHeaders.CONTENT_TYPE, Reply.JSON)
          .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
          .putHeader("X-Content-Type-Options", "nosniff")
          .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
          .end(Buffer.buffer(JsonCodec.write(problem.body())))
          .onComplete(sent -> request.connection().close());
    };
  }

  private static Problem malformed(int status, String message) {
    return new Problem(
        status, HttpErrorCode.MALFORMED_REQUEST.name(), message, List.of(), Map.of());
  }

  private void respond(RoutingContext rc, int status) {
    HttpServerResponse response = rc.response();
    if (response.ended() || response.closed()) {
      // The client went away, or the answer was already sent; nobody is left to tell.
      LOG.log(
          Level.DEBUG,
          "not answering failed request {0}: response already ended",
          rc.request().path());
      return;
    }
    Problem problem;
    try {
      problem = describe(rc, rc.failure(), status);
    } catch (RuntimeException bug) {
      problem = internal(rc, bug);
    }
    if (response.headWritten()) {
      LOG.log(
          Level.WARNING,
          "failed after the response started; closing the connection: {0}",
          problem.message());
      response.reset();
      return;
    }
    problem.headers().forEach(response::putHeader);
    response
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, Reply.JSON)
        .end(Buffer.buffer(JsonCodec.write(problem.body())));
  }

  private Problem describe(RoutingContext rc, Throwable failure, int status) {
    if (failure instanceof ProblemException p) {
      return p.problem();
    }
    if (failure instanceof ToolrunException e) {
      return domain(e);
    }
    // The OpenAPI router wraps the validator's exceptions in a 400 HttpException.
    if (failure instanceof HttpException h && h.getCause() instanceof ValidatorException v) {
      return contract(rc, v);
    }
    if (failure instanceof ValidatorException v) {
      return contract(rc, v);
    }
    if (failure instanceof HttpException h) {
      return byStatus(rc, h.getStatusCode(), failure);
    }
    if (failure == null || (status >= 400 && status < 500)) {
      return byStatus(rc, status, failure);
    }
    if (brokeWhileRead(rc, status)) {
      return Problem.of(
          HttpErrorCode.MALFORMED_REQUEST,
          "the request body cannot be read: its framing is broken (a malformed chunk, say)");
    }
    return internal(rc, failure);
  }

  /**
   * Whether the request's own stream failed while its body was read: the HTTP codec found its
   * framing broken (a chunk size that is not hexadecimal, say). The body handler fails such a
   * request with the status it has then, 200, unless the codec wrapped the cause in a {@code
   * DecoderException} (then 400); handlers fail with a status of -1, so a bug of toolrun's is never
   * taken for one of these.
   */
  private static boolean brokeWhileRead(RoutingContext rc, int status) {
    return status >= 200 && status < 400 && !rc.request().isEnded();
  }

  /** The domain's error as a problem; the status follows from the error's code alone. */
  public static Problem domain(ToolrunException e) {
    ErrorCode code = e.code();
    int status =
        switch (code) {
          case TOOL_NOT_FOUND, INSTANCE_NOT_FOUND -> 404;
          case ILLEGAL_TRANSITION, CONFLICT, INSTANCE_NOT_SERVING -> 409;
          case VALIDATION_FAILED -> 400;
          case RUNTIME_UNAVAILABLE -> 503;
          case RUNTIME_REJECTED, UPSTREAM_FAILED -> 502;
          case TOO_MANY_REQUESTS -> 429;
          case REQUEST_TIMED_OUT -> 504;
        };
    List<Violation> details = e instanceof ValidationException v ? v.violations() : List.of();
    Problem problem = new Problem(status, code.name(), e.getMessage(), details, Map.of());
    if (e instanceof TooManyRequestsException tooMany) {
      // Rounded up: a client that waits the whole seconds it is told never comes back too early.
      long millis = Math.max(0, tooMany.retryAfter().toMillis());
      problem =
          problem.withHeader("Retry-After", Long.toString(Math.max(1, (millis + 999) / 1000)));
    }
    return problem;
  }

  private Problem contract(RoutingContext rc, ValidatorException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String parameter = parameterName(message);
    return switch (e.type()) {
      case INVALID_VALUE, MISSING_REQUIRED_PARAMETER, INVALID_VALUE_FORMAT -> {
        List<Violation> violations;
        if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
          violations =
              SchemaViolations.from(
                  schema.getOutputUnit(),
                  parameter == null ? "" : parameter,
                  parameter == null ? body(rc) : null);
        } else if (parameter != null) {
          violations =
              List.of(
                  new Violation(
                      parameter,
                      e.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER
                          ? "is required"
                          : "has an invalid format"));
        } else {
          violations = List.of(new Violation("body", "a JSON body is required"));
        }
        yield domain(new ValidationException(violations));
      }
      case UNSUPPORTED_VALUE_FORMAT ->
          // The contract uses no parameter style the validator cannot read (the contract test
          // checks the document), so this is the body's media type.
          Problem.of(
              HttpErrorCode.UNSUPPORTED_MEDIA_TYPE,
              "the request body must be application/json, not "
                  + describeContentType(rc.request().getHeader(HttpHeaders.CONTENT_TYPE)));
      case ILLEGAL_VALUE ->
          Problem.of(
              HttpErrorCode.MALFORMED_REQUEST,
              parameter == null
                  ? "the request body cannot be read as JSON (malformed, or beyond the parser's"
                      + " limits)"
                  : "the value of parameter " + parameter + " cannot be decoded");
      case MISSING_OPERATION, MISSING_RESPONSE -> internal(rc, e);
    };
  }

  private static String parameterName(String message) {
    Matcher m = PARAMETER.matcher(message);
    return m.matches() ? m.group(1) : null;
  }

  private static String describeContentType(String contentType) {
    return contentType == null ? "absent" : "'" + abbreviate(contentType, 100) + "'";
  }

  // The body as decoded JSON, to resolve the validator's pointers; null when it is not JSON.
  private static Object body(RoutingContext rc) {
    try {
      Buffer buffer = rc.body() == null ? null : rc.body().buffer();
      return buffer == null ? null : Json.decodeValue(buffer);
    } catch (DecodeException e) {
      return null;
    }
  }

  private Problem byStatus(RoutingContext rc, int status, Throwable failure) {
    String request =
        rc.request().method().name() + " " + abbreviate(rc.request().path(), MAX_ECHOED_PATH);
    return switch (status) {
      case 401 -> Problem.of(HttpErrorCode.UNAUTHORIZED, "authentication is required");
      case 404 -> Problem.of(HttpErrorCode.NOT_FOUND, "there is no resource at " + request);
      case 405 -> {
        Set<HttpMethod> allowed = allowedMethods.apply(normalizedPath(rc));
        Problem problem =
            Problem.of(
                HttpErrorCode.METHOD_NOT_ALLOWED,
                "%s is not allowed here; allowed: %s"
                    .formatted(rc.request().method().name(), names(allowed)));
        yield allowed.isEmpty() ? problem : problem.withHeader("Allow", names(allowed));
      }
      case 413 ->
          Problem.of(
              HttpErrorCode.PAYLOAD_TOO_LARGE,
              "the request body exceeds the limit of %d bytes".formatted(maxBodyBytes));
      case 415 ->
          Problem.of(
              HttpErrorCode.UNSUPPORTED_MEDIA_TYPE, "the request body must be application/json");
      default -> {
        if (status >= 400 && status < 500) {
          // Requests the HTTP stack could not parse: an undecodable URI, a missing Host header.
          yield new Problem(
              status,
              HttpErrorCode.MALFORMED_REQUEST.name(),
              "the request cannot be read",
              List.of(),
              Map.of());
        }
        yield internal(rc, failure);
      }
    };
  }

  private static String names(Set<HttpMethod> methods) {
    return methods.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
  }

  private static Problem internal(RoutingContext rc, Throwable failure) {
    String reference = UUID.randomUUID().toString().substring(0, 8);
    LOG.log(
        Level.ERROR,
        "internal error " + reference + " in " + rc.request().method() + " " + rc.request().path(),
        failure);
    return Problem.of(
        HttpErrorCode.INTERNAL_ERROR,
        "an internal error occurred; the server's log has the details under reference "
            + reference);
  }

  // The normalized path, or the raw one when it cannot be decoded.
  private static String normalizedPath(RoutingContext rc) {
    try {
      return rc.normalizedPath();
    } catch (IllegalArgumentException e) {
      return rc.request().path();
    }
  }

  private static String abbreviate(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 3) + "...";
  }
}
