package dev.toolrun.adapter.http.contract;

import io.vertx.core.file.FileSystem;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.SchemaException;
import io.vertx.json.schema.SchemaRepository;
import io.vertx.json.schema.Validator;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.OpenAPIVersion;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.Path;
import io.vertx.openapi.contract.SecurityRequirement;
import io.vertx.openapi.contract.SecurityScheme;
import io.vertx.openapi.contract.Server;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The API contract with one schema validator per schema, made once and reused.
 *
 * <p>Vert.x OpenAPI (5.0.x) asks the schema repository for a new validator for every parameter and
 * body of every request, and each new validator copies the repository's whole lookup table: with
 * this API's contract that copying was most of the CPU time of a {@code GET} (measured with JFR
 * under wrk; see docs/benchmarks.md). A validator holds only immutable state, so one per schema
 * serves every request. Everything else is delegated unchanged; the two interfaces have no default
 * methods to inherit, hence the rows of one-line delegations. It can go once Vert.x caches
 * validators itself.
 */
final class ReusedValidators implements OpenAPIContract {
  private final OpenAPIContract contract;
  private final SchemaRepository repository;

  private ReusedValidators(OpenAPIContract contract) {
    this.contract = contract;
    this.repository = new Repository(contract.getSchemaRepository());
  }

  static OpenAPIContract of(OpenAPIContract contract) {
    return new ReusedValidators(contract);
  }

  @Override
  public SchemaRepository getSchemaRepository() {
    return repository;
  }

  @Override
  public Operation operation(String operationId) {
    return contract.operation(operationId);
  }

  @Override
  public List<Operation> operations() {
    return contract.operations();
  }

  @Override
  public List<Path> getPaths() {
    return contract.getPaths();
  }

  @Override
  public JsonObject getRawContract() {
    return contract.getRawContract();
  }

  @Override
  public OpenAPIVersion getVersion() {
    return contract.getVersion();
  }

  @Override
  public List<Server> getServers() {
    return contract.getServers();
  }

  @Override
  public Path findPath(String urlPath) {
    return contract.findPath(urlPath);
  }

  @Override
  public Operation findOperation(String urlPath, HttpMethod method) {
    return contract.findOperation(urlPath, method);
  }

  @Override
  public List<SecurityRequirement> getSecurityRequirements() {
    return contract.getSecurityRequirements();
  }

  @Override
  public SecurityScheme securityScheme(String name) {
    return contract.securityScheme(name);
  }

  /**
   * Caches {@link #validator(JsonSchema)} by the schema object's identity: the contract's schemas
   * never change.
   */
  private static final class Repository implements SchemaRepository {
    private final SchemaRepository schemas;
    private final Map<SameObject, Validator> validators = new ConcurrentHashMap<>();

    Repository(SchemaRepository schemas) {
      this.schemas = schemas;
    }

    @Override
    public Validator validator(JsonSchema schema) {
      return validators.computeIfAbsent(new SameObject(schema), key -> schemas.validator(schema));
    }

    @Override
    public Validator validator(String ref) {
      return schemas.validator(ref);
    }

    @Override
    public Validator validator(String ref, JsonSchemaOptions options) {
      return schemas.validator(ref, options);
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options) {
      return schemas.validator(schema, options);
    }

    @Override
    public Validator validator(JsonSchema schema, JsonSchemaOptions options, boolean dereference) {
      return schemas.validator(schema, options, dereference);
    }

    @Override
    public SchemaRepository dereference(JsonSchema schema) throws SchemaException {
      return schemas.dereference(schema);
    }

    @Override
    public SchemaRepository dereference(String uri, JsonSchema schema) throws SchemaException {
      return schemas.dereference(uri, schema);
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs) {
      return schemas.preloadMetaSchema(fs);
    }

    @Override
    public SchemaRepository preloadMetaSchema(FileSystem fs, Draft draft) {
      return schemas.preloadMetaSchema(fs, draft);
    }

    @Override
    public JsonObject resolve(JsonObject schema) {
      return schemas.resolve(schema);
    }

    @Override
    public JsonSchema find(String pointer) {
      return schemas.find(pointer);
    }
  }

  /**
   * A map key equal only to itself: schemas compare by content, which would cost a walk per
   * request.
   */
  private record SameObject(Object value) {
    @Override
    public boolean equals(Object other) {
      return other instanceof SameObject same && same.value == value;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(value);
    }
  }
}
