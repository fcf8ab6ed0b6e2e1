package dev.toolrun.adapter.jsonschema;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.tool.JsonSchema;
import dev.toolrun.ports.out.SchemaValidator;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link SchemaValidator} of networknt's json-schema-validator (3.x), for the 2020-12 dialect
 * only.
 *
 * <p>It never loads a schema from outside the document: networknt's loader would read {@code
 * classpath:} references (and, if asked, URLs), so every location but the bundled 2020-12
 * meta-schemas is blocked, and {@link #checkSchema} refuses a reference that leaves the document.
 * Schemas are compiled for each call: they are small, and a cache would have to follow every tool's
 * versions.
 */
public final class NetworkntSchemaValidator implements SchemaValidator {
  /** Enough to fix a request by; a value can break a schema in thousands of places. */
  static final int MAX_VIOLATIONS = 50;

  private static final String META_SCHEMAS = "https://json-schema.org/draft/2020-12/";
  private static final Set<String> REFERENCES = Set.of("$ref", "$dynamicRef");

  private final JsonMapper json;
  private volatile Compiler compiler;

  private NetworkntSchemaValidator() {
    this.json =
        JsonMapper.builder()
            // Numbers are compared exactly: a result's 0.1 stays 0.1, not a double near it.
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
  }

  /**
   * The registry and the 2020-12 meta-schema, made at the first schema checked or used: reading and
   * compiling the meta-schemas was part of toolrun's start, before its first answer, although
   * nothing needs them until a tool is registered or launched (docs/benchmarks.md, figure 6).
   */
  private Compiler compiler() {
    Compiler made = compiler;
    if (made == null) {
      synchronized (this) {
        made = compiler;
        if (made == null) {
          made = Compiler.create();
          compiler = made;
        }
      }
    }
    return made;
  }

  private record Compiler(SchemaRegistry registry, Schema metaSchema) {
    static Compiler create() {
      SchemaRegistry registry =
          SchemaRegistry.withDefaultDialect(
              SpecificationVersion.DRAFT_2020_12,
              builder ->
                  builder
                      .schemaRegistryConfig(
                          SchemaRegistryConfig.builder()
                              .pathType(PathType.JSON_POINTER)
                              // Messages are part of the API's answers; they must not follow the
                              // server's locale.
                              .locale(Locale.ENGLISH)
                              .build())
                      .schemaLoader(
                          loader -> loader.block(iri -> !iri.toString().startsWith(META_SCHEMAS))));
      return new Compiler(
          registry,
          registry.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId())));
    }
  }

  /** A validator; it holds no resources and may be shared by every thread. */
  public static NetworkntSchemaValidator create() {
    return new NetworkntSchemaValidator();
  }

  @Override
  public List<Violation> checkSchema(JsonSchema schema) {
    JsonNode document = json.valueToTree(schema.document());
    List<Violation> violations = violations(compiler().metaSchema().validate(document));
    violations.addAll(outsideReferences(document, ""));
    if (!violations.isEmpty()) {
      return violations;
    }
    try {
      compile(document);
      return List.of();
    } catch (SchemaException e) {
      // What the meta-schema cannot see: a reference to nothing, a pattern that is no regex.
      return List.of(new Violation("", "cannot be used: " + reason(e)));
    }
  }

  @Override
  public List<Violation> validate(JsonSchema schema, Object value) {
    return validate(schema, (JsonNode) json.valueToTree(value));
  }

  @Override
  public List<Violation> validateJson(JsonSchema schema, String document) {
    JsonNode value;
    try {
      value = json.readTree(document);
    } catch (JacksonException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
    }
    return validate(schema, value);
  }

  private List<Violation> validate(JsonSchema schema, JsonNode value) {
    Schema compiled;
    try {
      compiled = compile(json.valueToTree(schema.document()));
    } catch (SchemaException e) {
      throw new IllegalArgumentException("not a usable schema: " + reason(e), e);
    }
    return violations(compiled.validate(value));
  }

  private Schema compile(JsonNode document) {
    Schema compiled = compiler().registry().getSchema(document);
    // Resolves every reference and compiles every pattern now, not on the first value that
    // reaches them.
    compiled.initializeValidators();
    return compiled;
  }

  /** The references in {@code node} that do not point into the document itself. */
  private static List<Violation> outsideReferences(JsonNode node, String pointer) {
    List<Violation> found = new ArrayList<>();
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> field : node.properties()) {
        String child = pointer + "/" + Violation.pointerToken(field.getKey());
        JsonNode value = field.getValue();
        if (REFERENCES.contains(field.getKey())
            && value.isString()
            && !value.asString().startsWith("#")) {
          found.add(
              new Violation(
                  child,
                  "must point into this schema ('#/$defs/...' or '#anchor'): toolrun loads no"
                      + " other schema"));
        } else {
          found.addAll(outsideReferences(value, child));
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        found.addAll(outsideReferences(node.get(i), pointer + "/" + i));
      }
    }
    return found;
  }

  /**
   * The errors as violations at JSON pointers. A missing or unexpected property is reported at the
   * property's own pointer ({@code /name is required}), not at its parent object's.
   */
  private static List<Violation> violations(List<Error> errors) {
    Set<Violation> found = new LinkedHashSet<>();
    for (Error error : errors) {
      if (found.size() == MAX_VIOLATIONS) {
        found.add(new Violation("", "breaks the schema in more places than are listed here"));
        break;
      }
      String at = error.getInstanceLocation().toString();
      String property = error.getProperty();
      String keyword = error.getKeyword() == null ? "" : error.getKeyword();
      if (property != null && keyword.equals("required")) {
        found.add(new Violation(at + "/" + Violation.pointerToken(property), "is required"));
      } else if (property != null
          && (keyword.equals("additionalProperties") || keyword.equals("unevaluatedProperties"))) {
        found.add(
            new Violation(
                at + "/" + Violation.pointerToken(property), "is not allowed by the schema"));
      } else {
        found.add(new Violation(at, error.getMessage()));
      }
    }
    return new ArrayList<>(found);
  }

  private static String reason(SchemaException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    String message = cause.getMessage() != null ? cause.getMessage() : e.getMessage();
    // A regex error spans lines (the pattern and a caret); its first line says it all.
    return message == null
        ? cause.getClass().getSimpleName()
        : message.lines().findFirst().orElse("");
  }
}
