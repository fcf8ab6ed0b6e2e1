package dev.toolrun.adapter.http.contract;

import dev.toolrun.adapter.http.error.ErrorResponder;
import dev.toolrun.adapter.http.error.HttpErrorCode;
import dev.toolrun.adapter.http.error.Problem;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Describes a request that the contract validator refused, as the problem the client is sent.
 *
 * <p>It exists because the validator's exceptions say too little for a client: a {@link
 * ValidatorException} names the parameter it is about only inside its English message, so the name
 * is read from there, and a schema failure comes as a tree of output units, which {@link
 * SchemaViolations} turns into the domain's violations. {@link ErrorResponder} is handed this
 * description, so that the error package does not depend on the contract machinery.
 */
public final class ValidatorFailures {
  // How the contract validator names a parameter in its messages.
  private static final Pattern PARAMETER =
      Pattern.compile(
          ".*\\b(?:query|path|header|cookie) parameter (\\S+?)(?: is| can't| doesn't|\\.|$).*",
          Pattern.DOTALL);
  private static final int MAX_ECHOED_CONTENT_TYPE = 100;

  private ValidatorFailures() {}

  /** The problem to answer {@code rc} with, which the validator refused with {@code e}. */
  public static Problem problem(RoutingContext rc, ValidatorException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    String parameter = parameterName(message);
    return switch (e.type()) {
      case INVALID_VALUE, MISSING_REQUIRED_PARAMETER, INVALID_VALUE_FORMAT ->
          ErrorResponder.domain(new ValidationException(violations(rc, e, parameter)));
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
      case MISSING_OPERATION, MISSING_RESPONSE -> ErrorResponder.internal(rc, e);
    };
  }

  private static List<Violation> violations(
      RoutingContext rc, ValidatorException e, String parameter) {
    if (e instanceof SchemaValidationException schema && schema.getOutputUnit() != null) {
      return SchemaViolations.from(
          schema.getOutputUnit(),
          parameter == null ? "" : parameter,
          parameter == null ? body(rc) : null);
    }
    if (parameter != null) {
      return List.of(
          new Violation(
              parameter,
              e.type() == ValidatorErrorType.MISSING_REQUIRED_PARAMETER
                  ? "is required"
                  : "has an invalid format"));
    }
    return List.of(new Violation("body", "a JSON body is required"));
  }

  private static String parameterName(String message) {
    Matcher m = PARAMETER.matcher(message);
    return m.matches() ? m.group(1) : null;
  }

  private static String describeContentType(String contentType) {
    if (contentType == null) {
      return "absent";
    }
    return "'"
        + (contentType.length() <= MAX_ECHOED_CONTENT_TYPE
            ? contentType
            : contentType.substring(0, MAX_ECHOED_CONTENT_TYPE - 3) + "...")
        + "'";
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
}
