package dev.toolrun.application;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.ConflictException;
import dev.toolrun.domain.error.ToolNotFoundException;
import dev.toolrun.domain.error.Violations;
import dev.toolrun.domain.instance.IdempotencyKey;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.LaunchInstanceUseCase;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.SchemaValidator;
import dev.toolrun.ports.out.ToolRepository;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Records a new instance as PENDING, then hands it to admission to start when there is room. A
 * launch whose inputs do not fit the tool (secrets, parameters against its input schema) is refused
 * before anything is recorded or queued.
 */
final class LaunchInstanceService implements LaunchInstanceUseCase {
  private final ToolRepository tools;
  private final InstanceRepository instances;
  private final WorkloadRuntime runtime;
  private final SchemaValidator schemas;
  private final InstanceStarter starter;
  private final ServiceInstanceDirectory services;
  private final ServiceInstanceHealthMonitor monitor;
  private final RecordBudget budget;
  private final Clock clock;
  private final RandomGenerator random;

  LaunchInstanceService(
      ToolRepository tools,
      InstanceRepository instances,
      WorkloadRuntime runtime,
      SchemaValidator schemas,
      InstanceStarter starter,
      ServiceInstanceDirectory services,
      ServiceInstanceHealthMonitor monitor,
      RecordBudget budget,
      Clock clock,
      RandomGenerator random) {
    this.tools = requireNonNull(tools, "tools is null");
    this.instances = requireNonNull(instances, "instances is null");
    this.runtime = requireNonNull(runtime, "runtime is null");
    this.schemas = requireNonNull(schemas, "schemas is null");
    this.starter = requireNonNull(starter, "starter is null");
    this.services = requireNonNull(services, "services is null");
    this.monitor = requireNonNull(monitor, "monitor is null");
    this.budget = requireNonNull(budget, "budget is null");
    this.clock = requireNonNull(clock, "clock is null");
    this.random = requireNonNull(random, "random is null");
  }

  @Override
  public Launched launch(LaunchInstanceCommand command) {
    Tool tool = resolve(command);
    checkInputs(tool, command);
    RuntimeFit.check(tool.spec(), runtime.capabilities());

    Optional<IdempotencyKey> key =
        command.idempotencyKey().map(k -> new IdempotencyKey(k, fingerprint(tool, command)));
    if (key.isPresent()) {
      Optional<Launched> earlier = replay(key.get());
      if (earlier.isPresent()) {
        return earlier.get();
      }
    }

    Instance instance =
        Instance.launch(
            InstanceId.generate(clock.instant(), random),
            tool,
            command.parameters(),
            secretNames(tool, command),
            command.secretReference(),
            key,
            clock.instant());
    // After the replay, which adds nothing: a retry of a launch that was taken is answered.
    budget.admit(instance);
    runtime.checkFits(new Launch(instance, tool, command.secrets()));
    try (AcceptsFirst.Acceptance accepting = starter.accepting()) {
      instances.add(instance);
    } catch (ConflictException e) {
      // Two launches with one key raced; the one stored first is the answer to both.
      if (key.isPresent()) {
        return replay(key.get()).orElseThrow(() -> e);
      }
      throw e;
    }
    tool.spec()
        .service()
        .ifPresent(
            settings -> {
              services.register(instance.id(), settings);
              monitor.watch(instance.id());
            });
    starter.submit(new Launch(instance, tool, command.secrets()));
    return new Launched(
        new InstanceView(
            instances.find(instance.id()).orElse(instance), starter.queuePosition(instance.id())),
        false);
  }

  private Tool resolve(LaunchInstanceCommand command) {
    if (command.version().isEmpty()) {
      return tools
          .latest(command.tool())
          .orElseThrow(() -> new ToolNotFoundException(command.tool()));
    }
    int version = command.version().get();
    return tools.versions(command.tool()).stream()
        .filter(t -> t.version() == version)
        .findFirst()
        .orElseThrow(() -> new ToolNotFoundException(command.tool(), version));
  }

  /**
   * The names of the secret inputs the launch gives: those given as values, or with a Secret's
   * reference every one the tool declares (toolrun cannot look inside the Secret; a key it lacks
   * makes the run fail when its workload is created).
   */
  private static Set<String> secretNames(Tool tool, LaunchInstanceCommand command) {
    return command.secretReference().isPresent()
        ? tool.spec().secretInputs()
        : command.secrets().names();
  }

  /** Every way the command's secrets and parameters do not fit {@code tool}, at once. */
  private void checkInputs(Tool tool, LaunchInstanceCommand command) {
    var violations = new Violations();
    violations.check(
        command.secretReference().isPresent() && !command.secrets().isEmpty(),
        "secretRef",
        "cannot be given with secrets: give the secret inputs as values or by a Secret's"
            + " reference, not both");
    violations.check(
        command.secretReference().isPresent() && tool.spec().secretInputs().isEmpty(),
        "secretRef",
        "tool %s v%d declares no secret inputs".formatted(tool.name(), tool.version()));
    for (String required : tool.spec().secretInputs()) {
      violations.check(
          command.secretReference().isEmpty() && !command.secrets().names().contains(required),
          "secrets." + required,
          "is required by tool %s v%d".formatted(tool.name(), tool.version()));
    }
    for (String given : command.secrets().names()) {
      violations.check(
          !tool.spec().secretInputs().contains(given),
          "secrets." + given,
          "tool %s v%d declares no secret input of this name (it declares %s)"
              .formatted(tool.name(), tool.version(), tool.spec().secretInputs()));
    }
    tool.spec()
        .inputSchema()
        .ifPresent(
            schema ->
                schemas
                    .validate(schema, command.parameters().values())
                    .forEach(v -> violations.add(v.inside("parameters"))));
    violations.throwIfAny();
  }

  private Optional<Launched> replay(IdempotencyKey key) {
    return instances
        .findByIdempotencyKey(key.value())
        .map(
            earlier -> {
              if (!earlier
                  .idempotencyKey()
                  .map(IdempotencyKey::requestFingerprint)
                  .equals(Optional.of(key.requestFingerprint()))) {
                throw new ConflictException(
                    "idempotency key '%s' was already used for a different launch request (instance %s)"
                        .formatted(key.value(), earlier.id()));
              }
              return new Launched(
                  new InstanceView(earlier, starter.queuePosition(earlier.id())), true);
            });
  }

  /**
   * What makes two launch requests "the same": tool, resolved version, parameters, secret names and
   * the name of the Secret they come from. Secret values are left out on purpose: a stored hash of
   * a short secret could be guessed. A launch without a reference has the fingerprint it had before
   * references existed, so a key stored then is still answered.
   */
  private static String fingerprint(Tool tool, LaunchInstanceCommand command) {
    StringBuilder canonical = new StringBuilder();
    canonical.append(tool.name().value()).append('\n').append(tool.version()).append('\n');
    appendCanonical(canonical, command.parameters().values());
    canonical.append('\n').append(command.secrets().names());
    command.secretReference().ifPresent(ref -> canonical.append("\nsecretRef:").append(ref.name()));
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  // Map.toString() is ambiguous ({n=1} for the string "1" and the number 1; {a=x, b=y} for one
  // key or two), so every value is tagged with its type and every string with its length.
  private static void appendCanonical(StringBuilder out, Object value) {
    if (value instanceof String text) {
      out.append('s').append(text.length()).append(':').append(text);
    } else if (value instanceof BigDecimal number) {
      out.append('n').append(number).append(';');
    } else if (value instanceof Boolean bool) {
      out.append('b').append(bool.booleanValue()).append(';');
    } else if (value instanceof List<?> list) {
      out.append('[').append(list.size()).append(':');
      list.forEach(element -> appendCanonical(out, element));
      out.append(']');
    } else if (value instanceof Map<?, ?> map) {
      out.append('{').append(map.size()).append(':');
      map.forEach(
          (key, element) -> {
            appendCanonical(out, key);
            appendCanonical(out, element);
          });
      out.append('}');
    } else {
      throw new IllegalArgumentException("parameters hold no " + value.getClass().getName());
    }
  }
}
