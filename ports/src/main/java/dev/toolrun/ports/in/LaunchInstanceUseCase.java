package dev.toolrun.ports.in;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.ToolName;
import java.util.Optional;

/**
 * Launches an instance of a tool. The instance is recorded as PENDING before anything else happens,
 * then starts as soon as there is capacity for it.
 */
public interface LaunchInstanceUseCase {

  /**
   * Launches {@code command}'s instance; with an idempotency key that was used before for the same
   * request, returns the instance launched then instead of a new one.
   *
   * @throws dev.toolrun.domain.error.ToolNotFoundException when the tool or version does not exist
   * @throws dev.toolrun.domain.error.ValidationException when secrets are missing or unknown, given
   *     both as values and by reference, or the runtime cannot run the tool
   * @throws dev.toolrun.domain.error.ConflictException when the idempotency key was used for a
   *     different request
   */
  Launched launch(LaunchInstanceCommand command);

  /**
   * What to launch.
   *
   * @param version the tool version to run; the latest when empty
   * @param secrets values for the tool's secret inputs: exactly the names it declares
   * @param secretReference instead of values, the Secret in the runtime's namespace that holds them
   *     (a key for each secret input); toolrun does not look inside it, the workload does
   * @param idempotencyKey makes retrying the same launch safe
   */
  record LaunchInstanceCommand(
      ToolName tool,
      Optional<Integer> version,
      Parameters parameters,
      SecretValues secrets,
      Optional<SecretReference> secretReference,
      Optional<String> idempotencyKey) {
    public LaunchInstanceCommand {
      requireNonNull(tool, "tool is null");
      requireNonNull(version, "version is null");
      requireNonNull(parameters, "parameters is null");
      requireNonNull(secrets, "secrets is null");
      requireNonNull(secretReference, "secretReference is null");
      requireNonNull(idempotencyKey, "idempotencyKey is null");
    }

    /** A launch whose secrets, if the tool has any, are given as values. */
    public LaunchInstanceCommand(
        ToolName tool,
        Optional<Integer> version,
        Parameters parameters,
        SecretValues secrets,
        Optional<String> idempotencyKey) {
      this(tool, version, parameters, secrets, Optional.empty(), idempotencyKey);
    }
  }

  /**
   * The launched instance.
   *
   * @param replayed whether it was launched earlier with the same idempotency key
   */
  record Launched(InstanceView view, boolean replayed) {
    public Launched {
      requireNonNull(view, "view is null");
    }
  }
}
