package dev.toolrun.domain.tool;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.error.Violations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a tool runs and how: the workload, its mode, resources, environment, secret inputs,
 * placement, security, volumes, parallelism, timeout, retries, cleanup and service settings, and
 * the schemas of its parameters and result.
 *
 * <p>Optional settings left empty ({@code timeout}, {@code cleanupPolicy}, {@code istioSidecar})
 * take the runtime's configured default when an instance is launched.
 *
 * @param secretInputs names of the secret values an instance must be given at launch; they reach
 *     the workload as environment variables of the same name and are never stored by toolrun
 * @param inputSchema the schema an instance's parameters must match; without one, any object
 * @param outputSchema the schema a task's result should match; a result that does not is kept and
 *     flagged with its violations, since the run already happened
 */
public record ToolSpec(
    Workload workload,
    ToolMode mode,
    Resources resources,
    SortedMap<String, String> env,
    SortedSet<String> secretInputs,
    Scheduling scheduling,
    SecuritySettings security,
    Optional<String> serviceAccount,
    Optional<String> imagePullSecret,
    List<VolumeClaimMount> volumes,
    Parallelism parallelism,
    Optional<Duration> timeout,
    int retryLimit,
    Optional<CleanupPolicy> cleanupPolicy,
    Optional<Boolean> istioSidecar,
    Optional<ServiceSettings> service,
    Optional<JsonSchema> inputSchema,
    Optional<JsonSchema> outputSchema) {

  /** The timeout of a task when neither the tool nor the runtime configuration sets one. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3600);

  public static final Duration MAX_TIMEOUT = Duration.ofDays(7);
  public static final int MAX_RETRY_LIMIT = 10;
  public static final int MAX_ENV_VARS = 256;
  public static final int MAX_SECRET_INPUTS = 64;
  public static final int MAX_VOLUMES = 64;

  /** Environment variables toolrun sets itself start with this prefix. */
  public static final String RESERVED_ENV_PREFIX = "TOOLRUN_";

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public ToolSpec {
    requireNonNull(workload, "workload is null");
    requireNonNull(mode, "mode is null");
    requireNonNull(resources, "resources is null");
    env = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(env, "env is null")));
    secretInputs =
        Collections.unmodifiableSortedSet(
            new TreeSet<>(requireNonNull(secretInputs, "secretInputs is null")));
    requireNonNull(scheduling, "scheduling is null");
    requireNonNull(security, "security is null");
    requireNonNull(serviceAccount, "serviceAccount is null");
    requireNonNull(imagePullSecret, "imagePullSecret is null");
    volumes = List.copyOf(requireNonNull(volumes, "volumes is null"));
    requireNonNull(parallelism, "parallelism is null");
    requireNonNull(timeout, "timeout is null");
    requireNonNull(cleanupPolicy, "cleanupPolicy is null");
    requireNonNull(istioSidecar, "istioSidecar is null");
    requireNonNull(service, "service is null");
    requireNonNull(inputSchema, "inputSchema is null");
    requireNonNull(outputSchema, "outputSchema is null");

    var violations = new Violations();
    violations.check(
        env.size() > MAX_ENV_VARS, "env", "must have at most %d variables".formatted(MAX_ENV_VARS));
    env.forEach(
        (name, value) -> {
          checkEnvName(violations, "env", name);
          violations.check(
              value.length() > 32 * 1024, "env." + name, "must be at most 32768 characters");
        });
    violations.check(
        secretInputs.size() > MAX_SECRET_INPUTS,
        "secretInputs",
        "must have at most %d names".formatted(MAX_SECRET_INPUTS));
    for (String name : secretInputs) {
      checkEnvName(violations, "secretInputs", name);
      violations.check(
          env.containsKey(name),
          "secretInputs",
          "'%s' is also a plain environment variable".formatted(name));
    }
    serviceAccount.ifPresent(
        sa ->
            violations.check(
                !LabelNames.isDnsSubdomain(sa),
                "serviceAccount",
                "'%s' is not a valid service account name".formatted(ToolName.abbreviate(sa))));
    imagePullSecret.ifPresent(
        s ->
            violations.check(
                !LabelNames.isDnsSubdomain(s),
                "imagePullSecret",
                "'%s' is not a valid secret name".formatted(ToolName.abbreviate(s))));
    violations.check(
        volumes.size() > MAX_VOLUMES,
        "volumes",
        "must have at most %d claims".formatted(MAX_VOLUMES));
    Set<String> mountPaths = new HashSet<>();
    for (VolumeClaimMount v : volumes) {
      violations.check(
          !mountPaths.add(v.mountPath()),
          "volumes",
          "mount path '%s' is used twice".formatted(v.mountPath()));
    }
    timeout.ifPresent(
        t ->
            violations.check(
                t.compareTo(Duration.ofSeconds(1)) < 0 || t.compareTo(MAX_TIMEOUT) > 0,
                "timeoutSeconds",
                "must be between 1 second and 7 days"));
    violations.check(
        retryLimit < 0 || retryLimit > MAX_RETRY_LIMIT,
        "retryLimit",
        "must be between 0 and %d".formatted(MAX_RETRY_LIMIT));
    if (inputSchema.isPresent()) {
      checkInputSchema(violations, inputSchema.get(), secretInputs);
    }
    switch (mode) {
      case TASK ->
          violations.check(service.isPresent(), "service", "only applies to tools in SERVICE mode");
      case SERVICE -> {
        violations.check(service.isEmpty(), "service", "is required for tools in SERVICE mode");
        violations.check(
            !parallelism.isSingle(),
            "parallelism",
            "a service runs exactly one pod (parallelism 1, completions 1)");
        violations.check(
            timeout.isPresent(),
            "timeoutSeconds",
            "only applies to TASK tools; a service runs until it is stopped (see"
                + " service.startTimeoutSeconds)");
        violations.check(
            retryLimit != 0,
            "retryLimit",
            "only applies to TASK tools; services use service.maxRestarts");
        violations.check(
            outputSchema.isPresent(),
            "outputSchema",
            "only applies to TASK tools; a service answers requests, it has no result");
      }
    }
    violations.throwIfAny();
  }

  /**
   * Parameters are a JSON object, so the schema's root must say so (MCP requires it of a tool's
   * input schema too). Secret inputs are given apart from the parameters and never stored with
   * them; a schema that names one would invite callers (or a model reading the MCP catalog) to put
   * the secret into the parameters, where it would be stored and shown.
   */
  private static void checkInputSchema(
      Violations violations, JsonSchema schema, Set<String> secretInputs) {
    violations.check(
        !schema.declaredTypes().equals(Set.of("object")),
        "inputSchema/type",
        "must be \"object\": an instance's parameters are a JSON object");
    for (String name : schema.namedProperties()) {
      violations.check(
          secretInputs.contains(name),
          "inputSchema/properties/" + Violation.pointerToken(name),
          ("'%s' is a secret input: secrets are given apart from the parameters and must not"
                  + " be named in the schema")
              .formatted(ToolName.abbreviate(name)));
    }
  }

  private static void checkEnvName(Violations violations, String field, String name) {
    violations.check(
        !ENV_NAME.matcher(name).matches() || name.length() > 128,
        field,
        "'%s' is not a valid environment variable name (letters, digits and '_', not starting with a digit)"
            .formatted(ToolName.abbreviate(name)));
    violations.check(
        name.startsWith(RESERVED_ENV_PREFIX),
        field,
        "'%s' uses the prefix %s, which toolrun reserves"
            .formatted(ToolName.abbreviate(name), RESERVED_ENV_PREFIX));
  }

  /** The timeout that applies, given the runtime's default. */
  public Duration effectiveTimeout(Duration runtimeDefault) {
    return timeout.orElse(runtimeDefault);
  }

  /** A builder for a task running {@code workload}, every other setting at its default. */
  public static Builder task(Workload workload) {
    return new Builder(workload, ToolMode.TASK);
  }

  /** A builder for a service running {@code workload} with {@code settings}. */
  public static Builder service(Workload workload, ServiceSettings settings) {
    return new Builder(workload, ToolMode.SERVICE).service(settings);
  }

  /** Builds a spec step by step; {@link #build()} validates everything at once. */
  public static final class Builder {
    private final Workload workload;
    private final ToolMode mode;
    private Resources resources = Resources.NONE;
    private final Map<String, String> env = new TreeMap<>();
    private final Set<String> secretInputs = new TreeSet<>();
    private Scheduling scheduling = Scheduling.ANYWHERE;
    private SecuritySettings security = SecuritySettings.RESTRICTED;
    private Optional<String> serviceAccount = Optional.empty();
    private Optional<String> imagePullSecret = Optional.empty();
    private final List<VolumeClaimMount> volumes = new ArrayList<>();
    private Parallelism parallelism = Parallelism.SINGLE;
    private Optional<Duration> timeout = Optional.empty();
    private int retryLimit;
    private Optional<CleanupPolicy> cleanupPolicy = Optional.empty();
    private Optional<Boolean> istioSidecar = Optional.empty();
    private Optional<ServiceSettings> service = Optional.empty();
    private Optional<JsonSchema> inputSchema = Optional.empty();
    private Optional<JsonSchema> outputSchema = Optional.empty();

    private Builder(Workload workload, ToolMode mode) {
      this.workload = workload;
      this.mode = mode;
    }

    public Builder resources(Resources resources) {
      this.resources = resources;
      return this;
    }

    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder secretInput(String name) {
      secretInputs.add(name);
      return this;
    }

    public Builder scheduling(Scheduling scheduling) {
      this.scheduling = scheduling;
      return this;
    }

    public Builder security(SecuritySettings security) {
      this.security = security;
      return this;
    }

    public Builder serviceAccount(String serviceAccount) {
      this.serviceAccount = Optional.of(serviceAccount);
      return this;
    }

    public Builder imagePullSecret(String imagePullSecret) {
      this.imagePullSecret = Optional.of(imagePullSecret);
      return this;
    }

    public Builder volume(VolumeClaimMount volume) {
      volumes.add(volume);
      return this;
    }

    public Builder parallelism(Parallelism parallelism) {
      this.parallelism = parallelism;
      return this;
    }

    public Builder timeout(Duration timeout) {
      this.timeout = Optional.of(timeout);
      return this;
    }

    public Builder retryLimit(int retryLimit) {
      this.retryLimit = retryLimit;
      return this;
    }

    public Builder cleanupPolicy(CleanupPolicy cleanupPolicy) {
      this.cleanupPolicy = Optional.of(cleanupPolicy);
      return this;
    }

    public Builder istioSidecar(boolean istioSidecar) {
      this.istioSidecar = Optional.of(istioSidecar);
      return this;
    }

    public Builder inputSchema(JsonSchema inputSchema) {
      this.inputSchema = Optional.of(inputSchema);
      return this;
    }

    public Builder outputSchema(JsonSchema outputSchema) {
      this.outputSchema = Optional.of(outputSchema);
      return this;
    }

    private Builder service(ServiceSettings settings) {
      this.service = Optional.of(settings);
      return this;
    }

    public ToolSpec build() {
      return new ToolSpec(
          workload,
          mode,
          resources,
          new TreeMap<>(env),
          new TreeSet<>(secretInputs),
          scheduling,
          security,
          serviceAccount,
          imagePullSecret,
          volumes,
          parallelism,
          timeout,
          retryLimit,
          cleanupPolicy,
          istioSidecar,
          service,
          inputSchema,
          outputSchema);
    }
  }
}
