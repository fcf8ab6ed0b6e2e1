package dev.toolrun.adapter.http.contract;

import static java.util.Objects.requireNonNull;

import dev.toolrun.adapter.http.error.ProblemException;
import dev.toolrun.domain.error.ValidationException;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.json.schema.JsonSchema;
import io.vertx.openapi.contract.Location;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Parameter;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The contract's validation of an operation that takes nothing but path parameters of plain string
 * schemas, done on the event loop.
 *
 * <p>Vert.x OpenAPI validates every request on a worker thread, one hand-off there and one back,
 * and runs the schema validator on each parameter. A path segment is always a string and a schema
 * that is only {@code type: string} accepts every string, so for such an operation the validator
 * can only refuse what {@link FaithfulRequestExtractor} refuses before it (query parameters the
 * operation does not declare, a query string that cannot be decoded): this handler refuses the
 * same, with the same errors, and hands the endpoint the path parameters as the validator would
 * have, which made {@code GET /v1/instances/{id}} a third slower than without (docs/benchmarks.md,
 * figure 4a). What the id must look like is the endpoint's to check, as before. Every other
 * operation keeps the validator.
 */
public final class DirectValidation implements Handler<RoutingContext> {
  // What a schema may hold besides its type without constraining the value.
  private static final Set<String> ANNOTATIONS =
      Set.of("type", "description", "title", "example", "examples");

  private final Operation operation;
  private final List<String> names;

  private DirectValidation(Operation operation) {
    this.operation = operation;
    this.names = operation.getParameters().stream().map(Parameter::getName).toList();
  }

  /**
   * The validation of {@code operation} done here, if the operation is one that the schema
   * validator could not refuse anything of beyond what this refuses.
   */
  public static Optional<DirectValidation> of(Operation operation) {
    requireNonNull(operation, "operation is null");
    boolean plain =
        operation.getRequestBody() == null
            && operation.getParameters().stream().allMatch(DirectValidation::plainPathString);
    return plain ? Optional.of(new DirectValidation(operation)) : Optional.empty();
  }

  private static boolean plainPathString(Parameter parameter) {
    if (parameter.getIn() != Location.PATH || parameter.isExplode()) {
      return false;
    }
    JsonSchema schema = parameter.getSchema();
    return "string".equals(schema.get("type"))
        && schema.fieldNames().stream()
            .filter(JsonSchema.EXCLUDE_ANNOTATIONS)
            .allMatch(ANNOTATIONS::contains);
  }

  @Override
  public void handle(RoutingContext rc) {
    try {
      FaithfulRequestExtractor.refuseUnknownQueryParameters(rc, operation);
    } catch (ProblemException | ValidationException refused) {
      rc.fail(refused);
      return;
    }
    Map<String, RequestParameter> path = new HashMap<>(names.size() * 2);
    for (String name : names) {
      path.put(name, new Value(rc.pathParam(name)));
    }
    rc.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, new Validated(Map.copyOf(path)));
    rc.next();
  }

  private record Value(Object value) implements RequestParameter {
    @Override
    public Object get() {
      return value;
    }
  }

  private record Validated(Map<String, RequestParameter> path) implements ValidatedRequest {
    private static final RequestParameter NONE = new Value(null);

    @Override
    public Map<String, RequestParameter> getPathParameters() {
      return path;
    }

    @Override
    public Map<String, RequestParameter> getCookies() {
      return Map.of();
    }

    @Override
    public Map<String, RequestParameter> getQuery() {
      return Map.of();
    }

    @Override
    public Map<String, RequestParameter> getHeaders() {
      return Map.of();
    }

    @Override
    public RequestParameter getBody() {
      return NONE;
    }
  }
}
