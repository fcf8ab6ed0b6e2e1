package dev.toolrun.adapter.http.routes;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.error.HttpErrorCode;
import dev.toolrun.adapter.http.error.Problem;
import dev.toolrun.adapter.http.error.ProblemException;
import dev.toolrun.adapter.http.mapping.JsonCodec;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.MIMEHeader;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * What an endpoint may know of its request, taken from the routing context on the event loop so
 * that the endpoint can run on any thread: the parameters as the contract validated them, the raw
 * body and the preferred response type.
 */
final class ApiRequest {
  private final ValidatedRequest validated;
  private final byte[] body;
  private final boolean prefersText;
  private final boolean wantsEvents;

  private ApiRequest(
      ValidatedRequest validated, byte[] body, boolean prefersText, boolean wantsEvents) {
    this.validated = requireNonNull(validated, "validated is null");
    this.body = body;
    this.prefersText = prefersText;
    this.wantsEvents = wantsEvents;
  }

  /** The request of {@code rc}, which the contract validator has already checked. */
  static ApiRequest of(RoutingContext rc) {
    ValidatedRequest validated = rc.get(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST);
    if (validated == null) {
      throw new IllegalStateException(
          "the request reached its endpoint without contract validation");
    }
    Buffer buffer = rc.body() == null ? null : rc.body().buffer();
    return new ApiRequest(
        validated, buffer == null ? null : buffer.getBytes(), prefersText(rc), wantsEvents(rc));
  }

  // Only an Accept that names text/event-stream ahead of the other types we produce asks for a
  // stream: a wildcard never does, so that a client that takes anything gets the page it always
  // got.
  private static boolean wantsEvents(RoutingContext rc) {
    for (MIMEHeader accepted : rc.parsedHeaders().accept()) {
      String type = accepted.component() + "/" + accepted.subComponent();
      if (type.equals("text/event-stream")) {
        return true;
      }
      if (type.equals("text/plain") || type.equals("application/json")) {
        return false;
      }
    }
    return false;
  }

  // Accept entries come sorted by preference; the first one that names a type we produce wins.
  private static boolean prefersText(RoutingContext rc) {
    for (MIMEHeader accepted : rc.parsedHeaders().accept()) {
      String type = accepted.component() + "/" + accepted.subComponent();
      if (type.equals("text/plain") || type.equals("text/*")) {
        return true;
      }
      if (type.equals("application/json") || type.equals("application/*") || type.equals("*/*")) {
        return false;
      }
    }
    return false;
  }

  /** The value of path parameter {@code name}. */
  String path(String name) {
    return string(validated.getPathParameters(), name)
        .orElseThrow(
            () -> new IllegalStateException("the contract declares no path parameter " + name));
  }

  /** The value of integer path parameter {@code name}. */
  int pathInt(String name) {
    return integer(validated.getPathParameters(), name)
        .orElseThrow(
            () -> new IllegalStateException("the contract declares no path parameter " + name));
  }

  /** The value of query parameter {@code name}, if it was given. */
  Optional<String> query(String name) {
    return string(validated.getQuery(), name);
  }

  /** The values of array query parameter {@code name}; empty if it was not given. */
  List<String> queryList(String name) {
    Optional<RequestParameter> value = given(validated.getQuery(), name);
    if (value.isEmpty()) {
      return List.of();
    }
    JsonArray array = value.get().getJsonArray();
    List<String> values = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      values.add(String.valueOf(array.getValue(i)));
    }
    return values;
  }

  /** The value of integer query parameter {@code name}, if it was given. */
  Optional<Integer> queryInt(String name) {
    return integer(validated.getQuery(), name);
  }

  /** The value of 64-bit integer query parameter {@code name}, if it was given. */
  Optional<Long> queryLong(String name) {
    return given(validated.getQuery(), name)
        .map(
            value -> {
              if (value.get() instanceof Integer || value.get() instanceof Long) {
                return ((Number) value.get()).longValue();
              }
              throw ValidationException.of(
                  name, "must be a whole number from 0 to 9223372036854775807");
            });
  }

  /** The value of header parameter {@code name}, if it was given. */
  Optional<String> header(String name) {
    return string(validated.getHeaders(), name);
  }

  /** Whether the client asks for an event stream ({@code Accept: text/event-stream}). */
  boolean wantsEvents() {
    return wantsEvents;
  }

  /** Whether the client prefers {@code text/plain} to JSON. */
  boolean prefersText() {
    return prefersText;
  }

  /**
   * The body as a {@code type}.
   *
   * @throws ValidationException when it does not fit the type
   * @throws ProblemException when it cannot be read at all
   */
  <T> T body(Class<T> type) {
    if (body == null || body.length == 0) {
      throw ValidationException.of("body", "a JSON body is required");
    }
    try {
      return JsonCodec.read(body, type);
    } catch (JacksonException e) {
      throw unreadable(e);
    }
  }

  // The contract validator accepts nearly everything that fails here, so these are rare; the
  // parser's own message is never passed on, because it may quote the value (a secret, say).
  private static RuntimeException unreadable(JacksonException e) {
    String field = path(e);
    if (e instanceof StreamConstraintsException) {
      return ValidationException.of(
          field, "exceeds a limit of the JSON reader (nesting depth, number or text length)");
    }
    if (e instanceof InputCoercionException) {
      return ValidationException.of(field, "is out of range");
    }
    if (e instanceof UnrecognizedPropertyException) {
      return ValidationException.of(field, "is not a known field");
    }
    if (e instanceof MismatchedInputException) {
      return ValidationException.of(field, "has the wrong type or format");
    }
    if (e instanceof StreamReadException) {
      return new ProblemException(
          Problem.of(HttpErrorCode.MALFORMED_REQUEST, "the request body is not valid JSON"));
    }
    return new ValidationException(List.of(new Violation(field, "cannot be read")));
  }

  private static String path(JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference reference : e.getPath()) {
      if (reference.getPropertyName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.length() == 0 ? "body" : path.toString();
  }

  // The parameter, if the client gave it.
  private static Optional<RequestParameter> given(
      Map<String, RequestParameter> parameters, String name) {
    RequestParameter value = parameters.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  private static Optional<String> string(Map<String, RequestParameter> parameters, String name) {
    return given(parameters, name).map(value -> String.valueOf(value.get()));
  }

  private static Optional<Integer> integer(Map<String, RequestParameter> parameters, String name) {
    return given(parameters, name)
        .map(
            value -> {
              if (value.get() instanceof Integer i) {
                return i;
              }
              // The contract declares int32, so the validator has let only Integers through.
              throw ValidationException.of(
                  name, "must be a whole number from -2147483648 to 2147483647");
            });
  }
}
