package dev.toolrun.ports.out;

import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.tool.JsonSchema;
import java.util.List;

/**
 * Checks JSON Schemas (2020-12) and validates values against them. Every violation found is listed,
 * not just the first, and each one's field is a JSON pointer into the checked document ({@code
 * /name}; {@code ""} for the document itself), for the caller to place with {@link
 * Violation#inside}. Implementations are thread-safe and never fetch a schema from elsewhere: a
 * reference that leaves the document is a violation.
 */
public interface SchemaValidator {

  /**
   * How {@code schema} breaks the 2020-12 meta-schema or the validator's limits; empty if usable.
   */
  List<Violation> checkSchema(JsonSchema schema);

  /**
   * How {@code value}, held as plain Java values (those of {@link
   * dev.toolrun.domain.instance.Parameters}), breaks {@code schema}; empty when it matches.
   *
   * @throws IllegalArgumentException when {@code schema} is not a usable schema (see {@link
   *     #checkSchema})
   */
  List<Violation> validate(JsonSchema schema, Object value);

  /**
   * How the JSON document {@code json} breaks {@code schema}; empty when it matches.
   *
   * @throws IllegalArgumentException when {@code json} is not JSON or {@code schema} is not usable
   */
  List<Violation> validateJson(JsonSchema schema, String json);
}
