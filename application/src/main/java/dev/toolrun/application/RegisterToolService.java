package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.tool.JsonSchema;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.RegisterToolUseCase;
import dev.toolrun.ports.out.SchemaValidator;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Registers tools with versioning: a changed definition makes the next version, an unchanged one
 * returns the current version. A tool must ask only for what the runtime can do, and its schemas
 * must be valid JSON Schemas: a schema that cannot be used would refuse every launch.
 */
final class RegisterToolService implements RegisterToolUseCase {

  // Two registrations of one tool may race for the same next version; the loser retries.
  private static final int MAX_ATTEMPTS = 5;

  private final ToolRepository tools;
  private final WorkloadRuntime runtime;
  private final SchemaValidator schemas;
  private final Clock clock;

  RegisterToolService(
      ToolRepository tools, WorkloadRuntime runtime, SchemaValidator schemas, Clock clock) {
    this.tools = requireNonNull(tools, "tools is null");
    this.schemas = requireNonNull(schemas, "schemas is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.clock = requireNonNull(clock, "clock is null");
  }

  @Override
  public Registration register(RegisterToolCommand command) {
    checkSchemas(command.spec());
    RuntimeFit.check(command.spec(), runtime.capabilities());
    for (int attempt = 1; ; attempt++) {
      Optional<Tool> latest = tools.latest(command.name());
      if (latest.isPresent() && latest.get().isDefinedAs(command.description(), command.spec())) {
        return new Registration(latest.get(), false);
      }
      Tool next =
          latest
              .map(t -> t.next(command.description(), command.spec(), clock.instant()))
              .orElseGet(
                  () ->
                      Tool.first(
                          command.name(), command.description(), command.spec(), clock.instant()));
      try {
        tools.add(next);
        return new Registration(next, true);
      } catch (ConflictException e) {
        if (attempt == MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private void checkSchemas(ToolSpec spec) {
    List<Violation> violations = new ArrayList<>();
    spec.inputSchema().ifPresent(schema -> check(schema, "spec.inputSchema", violations));
    spec.outputSchema().ifPresent(schema -> check(schema, "spec.outputSchema", violations));
    if (!violations.isEmpty()) {
      throw new ValidationException(violations);
    }
  }

  private void check(JsonSchema schema, String field, List<Violation> violations) {
    schemas.checkSchema(schema).forEach(v -> violations.add(v.inside(field)));
  }
}
