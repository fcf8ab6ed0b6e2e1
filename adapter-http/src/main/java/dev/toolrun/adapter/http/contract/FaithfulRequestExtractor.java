package dev.toolrun.adapter.http.contract;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.JsonLimits;
import dev.toolrun.adapter.http.error.HttpErrorCode;
import dev.toolrun.adapter.http.error.Problem;
import dev.toolrun.adapter.http.error.ProblemException;
import dev.toolrun.adapter.http.protocol.StrictJson;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatableRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Hands the contract validator each parameter exactly as the client sent it. It replaces {@link
 * RequestExtractor#withBodyHandler()}, whose values differ from what was sent in three ways:
 *
 * <ul>
 *   <li>query values are URL-decoded a second time ({@code +} becomes a space, a literal {@code %}
 *       fails the request),
 *   <li>header values are URL-decoded although headers are not URL-encoded,
 *   <li>a string value is parsed as JSON when it looks like JSON ({@code -5} becomes a number and
 *       fails a string schema; {@code "a"} loses its quotes).
 * </ul>
 *
 * <p>It also refuses query parameters the operation does not declare, which the validator would
 * ignore: a client that sends {@code follow=true} or {@code wait=30} to an operation that has no
 * such parameter learns at once that it is not honoured, as with an unknown field in a body.
 *
 * <p>It lower-cases the media type, which the validator would otherwise compare as written. String
 * values are passed as JSON string literals, which the validator decodes back to exactly the sent
 * text; numbers and booleans are passed as sent, for the validator to parse. The body comes from
 * the router's {@code BodyHandler}, as with {@code withBodyHandler()}; it must first pass {@link
 * StrictJson}, since the validator would take the last of two equal fields as the value.
 */
public final class FaithfulRequestExtractor implements RequestExtractor {
  private final JsonLimits limits;

  /**
   * @param limits how many JSON tokens a body may hold and how deep it may nest ({@link
   *     StrictJson#check})
   */
  public FaithfulRequestExtractor(JsonLimits limits) {
    this.limits = requireNonNull(limits, "limits is null");
  }

  @Override
  public Future<ValidatableRequest> extractValidatableRequest(
      RoutingContext rc, Operation operation) {
    try {
      refuseUnknownQueryParameters(rc, operation);
      if (operation.getRequestBody() != null && rc.body() != null && rc.body().buffer() != null) {
        StrictJson.check(rc.body().buffer().getBytes(), limits);
      }
      return Future.succeededFuture(extract(rc, operation));
    } catch (ProblemException | ValidationException refused) {
      return Future.failedFuture(refused);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(undecodableQuery());
    }
  }

  /**
   * Fails with one violation per query parameter that {@code operation} does not declare, each
   * naming the parameters it does, or with a malformed request when the query string cannot be
   * decoded.
   */
  static void refuseUnknownQueryParameters(RoutingContext rc, Operation operation) {
    try {
      refuseUndeclared(rc, operation);
    } catch (IllegalArgumentException e) {
      throw undecodableQuery();
    }
  }

  // Vert.x decodes the query string lazily, when it is first read, and refuses malformed escapes
  // such as %zz.
  private static ProblemException undecodableQuery() {
    return new ProblemException(
        Problem.of(HttpErrorCode.MALFORMED_REQUEST, "the query string cannot be decoded"));
  }

  private static void refuseUndeclared(RoutingContext rc, Operation operation) {
    Set<String> declared = new TreeSet<>();
    for (Parameter parameter : operation.getParameters()) {
      if (parameter.getIn() == Location.QUERY) {
        declared.add(parameter.getName());
      }
    }
    List<Violation> unknown = new ArrayList<>();
    // Sorted, so that the answer does not depend on the order the client sent them in.
    for (String name : new TreeSet<>(rc.queryParams().names())) {
      if (!declared.contains(name)) {
        unknown.add(
            new Violation(
                name,
                declared.isEmpty()
                    ? "is not a query parameter of this operation, which takes none"
                    : "is not a query parameter of this operation, which takes "
                        + String.join(", ", declared)));
      }
    }
    if (!unknown.isEmpty()) {
      throw new ValidationException(unknown);
    }
  }

  private static ValidatableRequest extract(RoutingContext rc, Operation operation) {
    Map<String, RequestParameter> cookies = new HashMap<>();
    Map<String, RequestParameter> headers = new HashMap<>();
    Map<String, RequestParameter> path = new HashMap<>();
    Map<String, RequestParameter> query = new HashMap<>();
    for (Parameter parameter : operation.getParameters()) {
      String name = parameter.getName();
      switch (parameter.getIn()) {
        case PATH -> path.put(name, value(parameter, nullable(rc.pathParam(name))));
        case QUERY -> query.put(name, value(parameter, rc.queryParam(name)));
        case HEADER -> headers.put(name, value(parameter, rc.request().headers().getAll(name)));
        case COOKIE ->
            cookies.put(
                name,
                value(
                    parameter, rc.request().cookies(name).stream().map(Cookie::getValue).toList()));
      }
    }
    Buffer body =
        operation.getRequestBody() == null || rc.body() == null ? null : rc.body().buffer();
    String contentType = rc.request().getHeader(HttpHeaders.CONTENT_TYPE);
    // Media types are case-insensitive; the validator compares them as written.
    return new Extracted(
        cookies,
        headers,
        path,
        query,
        new Value(body),
        contentType == null ? null : contentType.toLowerCase(Locale.ROOT));
  }

  private static List<String> nullable(String value) {
    return value == null ? List.of() : List.of(value);
  }

  private static RequestParameter value(Parameter parameter, List<String> sent) {
    if (sent.isEmpty()) {
      return new Value(null);
    }
    return switch (parameter.getSchemaType()) {
      case STRING -> new Value(Json.encode(sent.get(0)));
      case ARRAY -> new Value(array(parameter, sent));
      case INTEGER, NUMBER, BOOLEAN, OBJECT -> new Value(sent.get(0));
    };
  }

  // The form the validator's transformers expect: "name=a&name=b" when exploded, "a,b" otherwise.
  private static String array(Parameter parameter, List<String> sent) {
    Object items = parameter.getSchema().get("items");
    boolean strings =
        items instanceof JsonObject schema && "string".equals(schema.getString("type"));
    List<String> values = strings ? sent.stream().map(Json::encode).toList() : sent;
    return parameter.isExplode()
        ? values.stream().map(v -> parameter.getName() + "=" + v).collect(Collectors.joining("&"))
        : String.join(",", values);
  }

  /** One extracted value; the validator reads it through the interface's default methods. */
  private record Value(Object value) implements RequestParameter {
    @Override
    public Object get() {
      return value;
    }
  }

  private record Extracted(
      Map<String, RequestParameter> cookies,
      Map<String, RequestParameter> headers,
      Map<String, RequestParameter> pathParameters,
      Map<String, RequestParameter> query,
      RequestParameter body,
      String contentType)
      implements ValidatableRequest {

    Extracted {
      requireNonNull(body, "body is null");
    }

    @Override
    public Map<String, RequestParameter> getCookies() {
      return cookies;
    }

    @Override
    public Map<String, RequestParameter> getHeaders() {
      return headers;
    }

    @Override
    public Map<String, RequestParameter> getPathParameters() {
      return pathParameters;
    }

    @Override
    public Map<String, RequestParameter> getQuery() {
      return query;
    }

    @Override
    public RequestParameter getBody() {
      return body;
    }

    @Override
    public String getContentType() {
      return contentType;
    }
  }
}
