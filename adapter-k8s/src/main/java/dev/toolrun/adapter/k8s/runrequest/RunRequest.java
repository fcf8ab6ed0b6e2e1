package dev.toolrun.adapter.k8s.runrequest;

import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A ToolRun written by hand read as the launch it asks for: the command a {@code POST
 * /v1/instances} of the same fields would make. What the API server's schema checks (types, the
 * tool name's pattern) is checked again here, as the domain checks it, so a ToolRun is refused for
 * the same reasons as a request, with every violation at once.
 */
final class RunRequest {
  private RunRequest() {}

  /**
   * The launch {@code run}'s spec asks for.
   *
   * @throws ValidationException with every way the spec is not a launch toolrun can make
   */
  static LaunchInstanceCommand command(GenericKubernetesResource run) {
    Violations violations = new Violations();
    Object specObject = run.getAdditionalProperties().get("spec");
    if (!(specObject instanceof Map<?, ?> spec)) {
      throw ValidationException.of("spec", "is required");
    }
    ToolName tool =
        spec.get("tool") instanceof String name
            ? violations.attempt("spec.tool", () -> new ToolName(name))
            : null;
    if (tool == null && !(spec.get("tool") instanceof String)) {
      violations.add("spec.tool", "is required");
    }
    Optional<Integer> version = Optional.empty();
    Object v = spec.get("version");
    if (v instanceof Number number && number.intValue() >= 1) {
      version = Optional.of(number.intValue());
    } else if (v != null) {
      violations.add("spec.version", "must be an integer of 1 or more");
    }
    Parameters parameters = parameters(spec, violations);
    Optional<SecretReference> secretRef = secretRef(spec, violations);
    if (spec.get("secretInputs") instanceof List<?> names && !names.isEmpty()) {
      violations.add(
          "spec.secretInputs",
          "is written by toolrun; a ToolRun written by hand cannot give secret values");
    }
    Optional<String> key = Optional.empty();
    if (spec.get("idempotencyKey") instanceof Map<?, ?> given) {
      if (given.get("value") instanceof String value && !value.isBlank()) {
        key = Optional.of(value);
      } else {
        violations.add("spec.idempotencyKey.value", "must be a non-empty string");
      }
    }
    violations.throwIfAny();
    return new LaunchInstanceCommand(tool, version, parameters, SecretValues.NONE, secretRef, key);
  }

  /**
   * The Secret named by {@code spec.secretRef}: a kubectl user gives secret inputs by naming a
   * Secret of the namespace, never as values, and toolrun passes the name on without reading it.
   */
  private static Optional<SecretReference> secretRef(Map<?, ?> spec, Violations violations) {
    Object given = spec.get("secretRef");
    if (given == null) {
      return Optional.empty();
    }
    if (!(given instanceof Map<?, ?> ref) || !(ref.get("name") instanceof String name)) {
      violations.add("spec.secretRef.name", "is required: the name of a Secret in this namespace");
      return Optional.empty();
    }
    return Optional.ofNullable(
        violations.attempt("spec.secretRef", () -> new SecretReference(name)));
  }

  private static Parameters parameters(Map<?, ?> spec, Violations violations) {
    Object text = spec.get("parametersJson");
    if (text instanceof String json) {
      return violations.attempt("spec.parametersJson", () -> new Parameters(json));
    }
    Object object = spec.get("parameters");
    if (object == null) {
      return Parameters.NONE;
    }
    if (!(object instanceof Map<?, ?> values)) {
      violations.add("spec.parameters", "must be an object");
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> typed = (Map<String, ?>) values;
    return violations.attempt("spec.parameters", () -> new Parameters(typed));
  }
}
