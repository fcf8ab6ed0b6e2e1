package dev.toolrun.adapter.http.error;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.mapping.JsonCodec;
import dev.toolrun.domain.error.ErrorCode;
import dev.toolrun.domain.error.MemoryBudgetExceededException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.error.TooManyRequestsException;
import dev.toolrun.domain.error.ToolrunException;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Answers every failed request with an {@link dev.toolrun.adapter.http.dto.ErrorResponse}: the
 * router's failure handler and its error handlers by status both come here, so there is one mapping
 * from what went wrong to status, code and message. The requests that never reach the router are
 * {@link UnparsableRequests}'; those the contract validator refused are described by the function
 * given to the constructor.
 */
public final class ErrorResponder {
  private static final Logger LOG = System.getLogger(ErrorResponder.class.getName());
  private static final int MAX_ECHOED_PATH = 200;

  private final long maxBodyBytes;
  private final Function<String, Set<HttpMethod>> allowedMethods;
  private final BiFunction<RoutingContext, ValidatorException, Problem> validatorFailures;

  /**
   * @param allowedMethods the methods the contract allows on a path, for the {@code Allow} header
   *     of a 405
   * @param validatorFailures the problem of a request the contract validator refused
   */
  public ErrorResponder(
      long maxBodyBytes,
      Function<String, Set<HttpMethod>> allowedMethods,
      BiFunction<RoutingContext, ValidatorException, Problem> validatorFailures) {
    this.maxBodyBytes = maxBodyBytes;
    this.allowedMethods = requireNonNull(allowedMethods, "allowedMethods is null");
    this.validatorFailures = requireNonNull(validatorFailures, "validatorFailures is null");
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
    byte[] body = JsonCodec.write(problem.body());
    response
        .setStatusCode(problem.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, JsonCodec.MEDIA_TYPE)
        // Explicit, so that the answer to a HEAD has it too.
        .putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length))
        .end(Buffer.buffer(body));
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
      return validatorFailures.apply(rc, v);
    }
    if (failure instanceof ValidatorException v) {
      return validatorFailures.apply(rc, v);
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
          case RUNTIME_UNAVAILABLE, MEMORY_BUDGET_EXCEEDED -> 503;
          case RUNTIME_REJECTED, UPSTREAM_FAILED -> 502;
          case TOO_MANY_REQUESTS -> 429;
          case REQUEST_TIMED_OUT -> 504;
        };
    List<Violation> details = e instanceof ValidationException v ? v.violations() : List.of();
    Problem problem = new Problem(status, code.name(), e.getMessage(), details, Map.of());
    if (e instanceof TooManyRequestsException tooMany) {
      problem = retryAfter(problem, tooMany.retryAfter());
    }
    if (e instanceof MemoryBudgetExceededException full) {
      problem = retryAfter(problem, full.retryAfter());
    }
    if (e instanceof RuntimeUnavailableException unavailable
        && unavailable.retryAfter().isPresent()) {
      problem = retryAfter(problem, unavailable.retryAfter().get());
    }
    return problem;
  }

  private static Problem retryAfter(Problem problem, Duration after) {
    // Rounded up: a client that waits the whole seconds it is told never comes back too early.
    long millis = Math.max(0, after.toMillis());
    return problem.withHeader("Retry-After", Long.toString(Math.max(1, (millis + 999) / 1000)));
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
          yield Problem.of(status, HttpErrorCode.MALFORMED_REQUEST, "the request cannot be read");
        }
        yield internal(rc, failure);
      }
    };
  }

  private static String names(Set<HttpMethod> methods) {
    return methods.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
  }

  /**
   * An internal error: logged with its stack trace under a short reference, which is all the client
   * learns.
   */
  public static Problem internal(RoutingContext rc, Throwable failure) {
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
