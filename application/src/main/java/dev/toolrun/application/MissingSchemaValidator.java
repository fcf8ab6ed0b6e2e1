package dev.toolrun.application;

import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.tool.JsonSchema;
import dev.toolrun.ports.out.SchemaValidator;
import java.util.List;

/**
 * What a {@link Toolrun} built without a schema validator checks schemas with: it refuses them.
 * Without a validator a schema could not be enforced, and skipping it silently would let through
 * what the tool declared it refuses; tools without schemas are unaffected.
 */
final class MissingSchemaValidator implements SchemaValidator {
  private static final List<Violation> REFUSED =
      List.of(
          new Violation(
              "",
              "cannot be checked: this toolrun was built without a schema validator (give"
                  + " Toolrun.builder() one with schemas(...), e.g. adapter-jsonschema's)"));

  @Override
  public List<Violation> checkSchema(JsonSchema schema) {
    return REFUSED;
  }

  @Override
  public List<Violation> validate(JsonSchema schema, Object value) {
    return REFUSED;
  }

  @Override
  public List<Violation> validateJson(JsonSchema schema, String json) {
    return REFUSED;
  }
}
