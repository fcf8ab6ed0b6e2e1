package dev.toolrun.adapter.http.mapping;

import static dev.toolrun.adapter.http.mapping.Fields.missing;

import dev.toolrun.adapter.http.dto.ErrorResponse;
import dev.toolrun.adapter.http.dto.InstanceResponse;
import dev.toolrun.adapter.http.dto.InstanceResponse.FailureDto;
import dev.toolrun.adapter.http.dto.InstanceResponse.HealthDto;
import dev.toolrun.adapter.http.dto.InstanceResponse.StateChangeDto;
import dev.toolrun.adapter.http.dto.InstanceSummary;
import dev.toolrun.adapter.http.dto.LaunchRequest;
import dev.toolrun.adapter.http.dto.PageResponse;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.ServiceHealth;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Maps instances between their JSON form and the instance use cases' commands, queries and results.
 */
public final class InstanceMapper {
  private static final Logger LOG = System.getLogger(InstanceMapper.class.getName());

  private InstanceMapper() {}

  /** The command launching {@code body}; every violation at once. Secret values go nowhere else. */
  public static LaunchInstanceCommand toCommand(
      LaunchRequest body, Optional<String> idempotencyKey) {
    var v = new Violations();
    ToolName tool =
        body.tool() == null
            ? missing(v, "tool")
            : v.attempt("tool", () -> new ToolName(body.tool()));
    Parameters parameters =
        body.parameters() == null
            ? Parameters.NONE
            : v.attempt("parameters", () -> new Parameters(body.parameters()));
    SecretValues secrets =
        body.secrets() == null
            ? SecretValues.NONE
            : v.attempt("", () -> new SecretValues(body.secrets()));
    Optional<SecretReference> secretRef =
        body.secretRef() == null
            ? Optional.empty()
            : Optional.ofNullable(
                body.secretRef().name() == null
                    ? missing(v, "secretRef.name")
                    : v.attempt("secretRef", () -> new SecretReference(body.secretRef().name())));
    v.throwIfAny();
    return new LaunchInstanceCommand(
        tool, Optional.ofNullable(body.version()), parameters, secrets, secretRef, idempotencyKey);
  }

  /** The instance id in the path. */
  public static InstanceId id(String id) {
    var v = new Violations();
    InstanceId instanceId = v.attempt("", () -> new InstanceId(id));
    v.throwIfAny();
    return instanceId;
  }

  /**
   * The query for one page of instances.
   *
   * @param states state names, each possibly a comma-separated list
   */
  public static ListInstancesQuery toListQuery(
      Optional<String> tool,
      List<String> states,
      Optional<Integer> limit,
      Optional<String> cursor) {
    var v = new Violations();
    Optional<ToolName> toolName = tool.map(t -> v.attempt("tool", () -> new ToolName(t)));
    Set<InstanceState> wanted = EnumSet.noneOf(InstanceState.class);
    for (String listed : states) {
      for (String name : listed.split(",", -1)) {
        InstanceState state =
            WireNames.parse(InstanceState.class, InstanceState::name, name.strip(), v, "state");
        if (state != null) {
          wanted.add(state);
        }
      }
    }
    PageRequest page = Cursors.pageRequest(limit, cursor, InstanceId::new, v);
    v.throwIfAny();
    return new ListInstancesQuery(new InstanceFilter(toolName, wanted), page);
  }

  public static InstanceResponse toResponse(InstanceView view) {
    Instance i = view.instance();
    return new InstanceResponse(
        i.id().value(),
        i.toolName().value(),
        i.toolVersion(),
        i.mode().name(),
        i.state().name(),
        i.parameters().json(),
        List.copyOf(i.secretNames()),
        i.secretReference().map(r -> new LaunchRequest.SecretRef(r.name())).orElse(null),
        i.createdAt(),
        i.updatedAt(),
        i.history().stream().map(c -> new StateChangeDto(c.state().name(), c.at())).toList(),
        i.failure().map(InstanceMapper::failure).orElse(null),
        i.exitCode().orElse(null),
        i.result().map(InstanceMapper::result).orElse(null),
        view.queuePosition().orElse(null),
        i.mode() == ToolMode.SERVICE ? health(i.health()) : null,
        i.restarts(),
        i.result()
            .map(
                r ->
                    r.violations().stream()
                        .map(v -> new ErrorResponse.ErrorDetail(v.field(), v.message()))
                        .toList())
            .orElse(null),
        view.log()
            .map(
                l ->
                    new InstanceResponse.LogStatusDto(
                        l.state().name(), l.lines(), l.droppedLines(), l.missing().orElse(null)))
            .orElse(null),
        i.start().map(Enum::name).orElse(null));
  }

  /** A page of summaries: the bytes of a page do not grow with what was launched. */
  public static PageResponse<InstanceSummary> toResponse(Page<InstanceView> page) {
    return Cursors.pageResponse(page, InstanceMapper::toSummary);
  }

  static InstanceSummary toSummary(InstanceView view) {
    Instance i = view.instance();
    return new InstanceSummary(
        i.id().value(),
        i.toolName().value(),
        i.toolVersion(),
        i.mode().name(),
        i.state().name(),
        i.createdAt(),
        i.updatedAt(),
        view.queuePosition().orElse(null),
        i.exitCode().orElse(null),
        i.failure()
            .map(
                f ->
                    new FailureDto(
                        f.kind().name(),
                        f.message(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null,
                        null))
            .orElse(null));
  }

  /** Where an instance can be read. */
  public static String location(Instance instance) {
    return location(instance.id());
  }

  /** Where the instance {@code id} can be read. */
  public static String location(InstanceId id) {
    return "/v1/instances/" + id.value();
  }

  private static FailureDto failure(FailureReason reason) {
    String kind = reason.kind().name();
    String message = reason.message();
    // The kind names the record exactly, so each cast below is safe.
    return switch (reason.kind()) {
      case IMAGE_PULL_FAILED -> {
        var f = (FailureReason.ImagePullFailed) reason;
        yield new FailureDto(
            kind, message, null, f.image(), f.detail(), null, null, null, null, null);
      }
      case UNSCHEDULABLE -> {
        var f = (FailureReason.Unschedulable) reason;
        yield new FailureDto(kind, message, null, null, f.detail(), null, null, null, null, null);
      }
      case OUT_OF_MEMORY -> {
        var f = (FailureReason.OutOfMemory) reason;
        yield new FailureDto(kind, message, null, null, f.detail(), null, null, null, null, null);
      }
      case DEADLINE_EXCEEDED -> {
        var f = (FailureReason.DeadlineExceeded) reason;
        yield new FailureDto(
            kind, message, null, null, null, f.timeout().toSeconds(), null, null, null, null);
      }
      case EXITED_NON_ZERO -> {
        var f = (FailureReason.ExitedNonZero) reason;
        yield new FailureDto(kind, message, f.exitCode(), null, null, null, null, null, null, null);
      }
      case CANCELLED ->
          new FailureDto(kind, message, null, null, null, null, null, null, null, null);
      case CRASH_LOOP -> {
        var f = (FailureReason.CrashLoop) reason;
        yield new FailureDto(
            kind, message, null, null, null, null, f.lastExitCode(), f.lastLogLines(), null, null);
      }
      case HEALTH_CHECK_FAILED -> {
        var f = (FailureReason.HealthCheckFailed) reason;
        yield new FailureDto(
            kind, message, null, null, null, null, null, null, f.failures(), f.lastError());
      }
      case RUNTIME_ERROR -> {
        var f = (FailureReason.RuntimeError) reason;
        yield new FailureDto(kind, message, null, null, f.detail(), null, null, null, null, null);
      }
    };
  }

  // The runtime adapter guarantees well-formed JSON; should one break that promise, the result is
  // still delivered, as a string, rather than failing the whole read.
  private static JsonNode result(ToolResult result) {
    try {
      return JsonCodec.tree(result.json());
    } catch (JacksonException e) {
      LOG.log(Level.WARNING, "a stored result is not valid JSON; returning it as a string");
      return JsonNodeFactory.instance.stringNode(result.json());
    }
  }

  private static HealthDto health(ServiceHealth health) {
    return new HealthDto(
        health.lastCheckAt().orElse(null),
        health.lastHealthyAt().orElse(null),
        health.lastError().orElse(null),
        health.consecutiveFailures());
  }
}
