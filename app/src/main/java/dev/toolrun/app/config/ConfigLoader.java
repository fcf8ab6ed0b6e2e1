package dev.toolrun.app.config;

import dev.toolrun.adapter.http.Authentication;
import dev.toolrun.adapter.http.ConnectionPolicy;
import dev.toolrun.adapter.http.HttpConfig;
import dev.toolrun.adapter.http.JsonLimits;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryStorageConfig;
import dev.toolrun.adapter.k8s.ApiRateLimit;
import dev.toolrun.adapter.k8s.ImagePullPolicy;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.LeaderLease;
import dev.toolrun.adapter.k8s.RecordStore;
import dev.toolrun.adapter.k8s.ServiceAccess;
import dev.toolrun.adapter.logfile.FileLogStoreConfig;
import dev.toolrun.adapter.mcp.SecretReference;
import dev.toolrun.adapter.mcp.ToolSecrets;
import dev.toolrun.adapter.metrics.MetricsConfig;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.MemoryBudget;
import dev.toolrun.application.Retention;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.tool.Affinity;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.Scheduling;
import dev.toolrun.domain.tool.ScriptLanguage;
import dev.toolrun.domain.tool.Toleration;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Reads the configuration: defaults, then an optional properties file ({@code --config FILE} or
 * {@code TOOLRUN_CONFIG_FILE}), then {@code TOOLRUN_*} environment variables. Every key is listed
 * in the README's configuration table; unknown keys and invalid values stop startup.
 *
 * <p>Over 300 lines because it is the one list of every key with its default and parser, which the
 * README's table mirrors: split by section, a new key's place would be harder to find.
 */
public final class ConfigLoader {
  /** Names the configuration file; not a configuration key itself. */
  public static final String CONFIG_FILE_VARIABLE = "TOOLRUN_CONFIG_FILE";

  /**
   * The settings of {@code bin/toolrun-server}, the launcher (README, "Configuration"): not keys of
   * toolrun's, and yet no typo either when they are set where toolrun also starts.
   */
  static final Set<String> LAUNCHER_VARIABLES =
      Set.of("TOOLRUN_JAR", "TOOLRUN_CDS", "TOOLRUN_CDS_DIR", "TOOLRUN_CDS_TRAINING_TIMEOUT");

  private static final Map<String, RuntimeMode> RUNTIMES =
      ordered("in-memory", RuntimeMode.IN_MEMORY, "kubernetes", RuntimeMode.KUBERNETES);
  private static final Map<String, Boolean> AUTH_MODES = ordered("token", true, "anonymous", false);
  private static final Map<String, Boolean> PROFILES =
      ordered("cluster", false, "local-cluster", true);
  private static final Map<String, ImagePullPolicy> PULL_POLICIES =
      ordered(
          "IfNotPresent",
          ImagePullPolicy.IF_NOT_PRESENT,
          "Always",
          ImagePullPolicy.ALWAYS,
          "Never",
          ImagePullPolicy.NEVER);

  private static final String MCP_SECRETS = "mcp.secrets.";

  // Whether /metrics wants the API's token.
  private static final Map<String, Boolean> METRICS_AUTH = ordered("none", false, "token", true);

  private static final Map<String, Observability.LogFormat> LOG_FORMATS =
      ordered("text", Observability.LogFormat.TEXT, "json", Observability.LogFormat.JSON);

  private static final Map<String, ServiceAccess> SERVICE_ACCESS =
      ordered("api-server-proxy", ServiceAccess.API_SERVER_PROXY, "direct", ServiceAccess.DIRECT);

  private static final Map<String, RecordStore> RECORDS =
      ordered("configmaps", RecordStore.CONFIG_MAPS, "resources", RecordStore.RESOURCES);

  private final Supplier<String> tokenGenerator;

  /** A loader that makes up a random API token when none is configured. */
  public ConfigLoader() {
    this(ConfigLoader::randomToken);
  }

  ConfigLoader(Supplier<String> tokenGenerator) {
    this.tokenGenerator = tokenGenerator;
  }

  private static Set<String> ignoredVariables() {
    Set<String> ignored = new HashSet<>(LAUNCHER_VARIABLES);
    ignored.add(CONFIG_FILE_VARIABLE);
    return ignored;
  }

  /**
   * The configuration from {@code args} (only {@code --config FILE} is understood) and {@code
   * environment}.
   *
   * @throws ConfigException listing every problem found
   */
  public ToolrunConfig load(List<String> args, Map<String, String> environment) {
    Optional<Path> file = configFile(args, environment);
    Map<String, String> fileValues = file.map(ConfigLoader::read).orElse(Map.of());
    Settings settings =
        new Settings(
            fileValues,
            file.map(Path::toString).orElse("no file"),
            environment,
            ignoredVariables());

    RuntimeMode runtime = settings.choice("runtime", RuntimeMode.IN_MEMORY, RUNTIMES);
    Optional<String> token = settings.optionalString("auth.token");
    boolean tokenRequired = settings.choice("auth.mode", true, AUTH_MODES);
    Optional<String> generated =
        tokenRequired && token.isEmpty() ? Optional.of(tokenGenerator.get()) : Optional.empty();
    HttpConfig http =
        build(
            settings,
            "http",
            () ->
                new HttpConfig(
                    settings.string("http.host", "0.0.0.0"),
                    settings.integer("http.port", 8080, 0, 65535),
                    settings.longValue(
                        "http.max-body-bytes",
                        HttpConfig.DEFAULT_MAX_BODY_BYTES,
                        1024,
                        64L * 1024 * 1024),
                    tokenRequired
                        ? Authentication.bearer(token.or(() -> generated).orElseThrow())
                        : Authentication.anonymous(),
                    connections(settings),
                    new JsonLimits(
                        settings.integer(
                            "http.max-json-tokens", JsonLimits.DEFAULT_MAX_TOKENS, 100, 10_000_000),
                        settings.integer(
                            "http.max-json-depth",
                            JsonLimits.DEFAULT_MAX_DEPTH,
                            JsonLimits.MIN_DEPTH,
                            JsonLimits.MAX_DEPTH)),
                    timeout(
                        settings,
                        "http.stream-heartbeat-seconds",
                        HttpConfig.DEFAULT_STREAM_HEARTBEAT)));
    if (!tokenRequired && token.isPresent()) {
      settings.problem("auth.token: is set, but auth.mode is anonymous; remove one of them");
    }
    Capacity capacity =
        build(
            settings,
            "capacity",
            () ->
                new Capacity(
                    settings.integer("capacity.max-services", 100, 1, 100_000),
                    settings.integer("capacity.max-tasks", 100, 1, 100_000)));
    Retention retention =
        build(
            settings,
            "retention",
            () ->
                new Retention(
                    Duration.ofHours(
                        settings.integer(
                            "retention.max-age-hours",
                            (int) Retention.DEFAULT.maxAge().toHours(),
                            1,
                            24 * 365)),
                    settings.integer(
                        "retention.max-ended", Retention.DEFAULT.maxEnded(), 1, 1_000_000)));
    MemoryBudget memoryBudget =
        build(
            settings,
            "records",
            () ->
                new MemoryBudget(
                    settings.longValue(
                        "records.memory-budget-bytes",
                        MemoryBudget.ofThisHeap().bytes(),
                        MemoryBudget.MIN_BYTES,
                        Long.MAX_VALUE)));
    InMemoryStorageConfig storage =
        build(
            settings,
            "logs",
            () ->
                new InMemoryStorageConfig(
                    settings.integer("logs.max-lines-per-instance", 10_000, 1, 10_000_000),
                    settings.integer("logs.max-line-length", 8192, 80, 1024 * 1024)));
    long maxLogBytes =
        settings.longValue(
            "logs.max-bytes-per-instance", 100L * 1024 * 1024, 64 * 1024, 64L * 1024 * 1024 * 1024);
    Duration fsyncInterval =
        settings.millis("logs.fsync-interval-ms", Duration.ofSeconds(1), 60_000);
    Optional<String> logDirectory = settings.optionalString("logs.directory");
    if (logDirectory.isPresent() && runtime == RuntimeMode.IN_MEMORY) {
      // Its records live in memory: logs kept past a restart would belong to no instance.
      settings.problem(
          "logs.directory: the in-memory runtime keeps its instances in memory, and so its logs;"
              + " set it with runtime=kubernetes only");
    }
    int maxLineLength =
        storage == null
            ? InMemoryStorageConfig.DEFAULT.maxLogLineLength()
            : storage.maxLogLineLength();
    Optional<FileLogStoreConfig> logFiles =
        build(
            settings,
            "logs",
            () ->
                logDirectory.map(
                    directory ->
                        new FileLogStoreConfig(
                            Path.of(directory), maxLogBytes, maxLineLength, fsyncInterval)));
    Map<String, Integer> pools = pools(settings);
    InMemoryRuntimeConfig inMemory =
        build(
            settings,
            "in-memory",
            () ->
                new InMemoryRuntimeConfig(
                    settings.millis(
                        "in-memory.step-delay-ms",
                        InMemoryRuntimeConfig.DEFAULT.stepDelay(),
                        60_000),
                    ToolSpec.DEFAULT_TIMEOUT,
                    inMemoryPools(pools)));
    KubernetesConfig kubernetes = build(settings, "kubernetes", () -> kubernetes(settings, pools));
    ToolSecrets mcpSecrets = mcpSecrets(settings, environment);
    Observability observability =
        new Observability(
            new MetricsConfig(settings.bool("metrics.enabled", true)),
            settings.choice("metrics.auth", false, METRICS_AUTH),
            settings.choice("log.format", Observability.LogFormat.TEXT, LOG_FORMATS));
    if (observability.metricsNeedToken() && !tokenRequired) {
      settings.problem("metrics.auth: is token, but auth.mode is anonymous, so there is no token");
    }
    Optional<String> leaderPod = settings.optionalString("leader.pod-name");
    Optional<LeaderLease> leader = leader(settings, runtime, environment, leaderPod);
    Duration drain = settings.seconds("shutdown.drain-seconds", Duration.ofSeconds(10), 300);
    settings.throwIfAnyProblem();
    return new ToolrunConfig(
        runtime,
        http,
        generated,
        capacity,
        retention,
        memoryBudget,
        storage,
        inMemory,
        kubernetes,
        mcpSecrets,
        logFiles,
        observability,
        leader,
        leader.isPresent() ? leaderPod : Optional.empty(),
        drain);
  }

  /**
   * The {@code leader.*} keys: with {@code leader.enabled}, replicas elect the one that writes on a
   * Lease. Off by default, which keeps a single toolrun as it always was (no Lease, no extra
   * permission); only the {@code kubernetes} runtime has records that several replicas share. With
   * {@code leader.pod-name} the replica marks that pod (its own) with its role, and its identity in
   * the Lease is that name: the next leader finds the previous holder's pod by it.
   */
  private static Optional<LeaderLease> leader(
      Settings settings,
      RuntimeMode runtime,
      Map<String, String> environment,
      Optional<String> pod) {
    boolean enabled = settings.bool("leader.enabled", false);
    String name = settings.string("leader.lease-name", LeaderLease.DEFAULT_NAME);
    String identity =
        settings.string("leader.identity", pod.orElseGet(() -> defaultIdentity(environment)));
    if (pod.isPresent() && !pod.get().equals(identity)) {
      settings.problem(
          "leader.identity ('%s') must be leader.pod-name ('%s') when that is set: the next leader finds the previous holder's pod by its identity"
              .formatted(identity, pod.get()));
    }
    Duration lease =
        Duration.ofSeconds(
            settings.integer(
                "leader.lease-seconds", (int) LeaderLease.DEFAULT_DURATION.toSeconds(), 2, 300));
    Duration renewDeadline =
        Duration.ofSeconds(
            settings.integer(
                "leader.renew-deadline-seconds",
                (int) LeaderLease.DEFAULT_RENEW_DEADLINE.toSeconds(),
                1,
                299));
    Duration retry =
        Duration.ofMillis(
            settings.longValue(
                "leader.retry-ms", LeaderLease.DEFAULT_RETRY_PERIOD.toMillis(), 100, 60_000));
    if (!enabled) {
      return Optional.empty();
    }
    if (runtime == RuntimeMode.IN_MEMORY) {
      settings.problem(
          "leader.enabled: the in-memory runtime keeps its records in its own memory, which no"
              + " other replica shares; set it with runtime=kubernetes only");
      return Optional.empty();
    }
    try {
      return Optional.of(new LeaderLease(name, identity, lease, renewDeadline, retry));
    } catch (IllegalArgumentException e) {
      settings.problem("leader: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Who this replica is in the Lease: in a pod, {@code HOSTNAME} is the pod's name (deploy/ sets
   * {@code TOOLRUN_LEADER_IDENTITY} to it anyway, since on the node's network the host name is the
   * node's); beside a cluster, the host's name and the process id, so that two toolruns on one
   * machine are two candidates.
   */
  private static String defaultIdentity(Map<String, String> environment) {
    String host = environment.getOrDefault("HOSTNAME", "");
    if (host.isBlank()) {
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "toolrun";
      }
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  /**
   * The {@code mcp.secrets.<tool>.<SECRET>} keys: where MCP calls of {@code tool} find its secret
   * input {@code SECRET}, as {@code env:VARIABLE} or {@code file:/path}. A variable must be set now
   * (the process's environment does not change); a file is read at each call.
   */
  private static ToolSecrets mcpSecrets(Settings settings, Map<String, String> environment) {
    ToolSecrets secrets = ToolSecrets.NONE;
    for (Map.Entry<String, String> entry : settings.fileKeysUnder(MCP_SECRETS).entrySet()) {
      String key = entry.getKey();
      String origin = settings.fileOriginOf(key);
      String rest = key.substring(MCP_SECRETS.length());
      int dot = rest.lastIndexOf('.');
      if (dot <= 0 || dot == rest.length() - 1) {
        settings.problem(origin + ": must be " + MCP_SECRETS + "<tool>.<SECRET_INPUT>");
        continue;
      }
      String secret = rest.substring(dot + 1);
      if (!SecretReference.VARIABLE.matcher(secret).matches()) {
        settings.problem(origin + ": '" + secret + "' is not a secret input name");
        continue;
      }
      try {
        ToolName tool = new ToolName(rest.substring(0, dot));
        SecretReference reference = SecretReference.parse(entry.getValue());
        if (reference instanceof SecretReference.Environment variable
            && environment.get(variable.name()) == null) {
          settings.problem(
              origin + ": " + reference + " names an environment variable that is not set");
          continue;
        }
        secrets = secrets.with(tool, secret, reference);
      } catch (IllegalArgumentException | ValidationException e) {
        // The message names the key and the rule; never the value, which may be a pasted secret.
        settings.problem(origin + ": " + e.getMessage());
      }
    }
    return secrets;
  }

  private static ConnectionPolicy connections(Settings settings) {
    ConnectionPolicy defaults = ConnectionPolicy.DEFAULT;
    return new ConnectionPolicy(
        timeout(settings, "http.header-timeout-seconds", defaults.headerTimeout()),
        timeout(settings, "http.body-timeout-seconds", defaults.bodyTimeout()),
        timeout(settings, "http.idle-timeout-seconds", defaults.idleTimeout()),
        settings.integer("http.max-connections", defaults.maxConnections(), 1, 1_000_000),
        settings.integer(
            "http.max-connections-per-client", defaults.maxConnectionsPerClient(), 1, 1_000_000));
  }

  private static Duration timeout(Settings settings, String key, Duration fallback) {
    return Duration.ofSeconds(settings.longValue(key, fallback.toSeconds(), 1, 3600));
  }

  /**
   * The {@code pools} key: {@code tool=size,...}, the warm pool of each tool named (README, "Warm
   * pools"). Sizes are checked here so that a bad one names the key.
   */
  private static Map<String, Integer> pools(Settings settings) {
    Map<String, Integer> sizes = new LinkedHashMap<>();
    settings
        .pairs("pools")
        .forEach(
            (tool, size) -> {
              try {
                new ToolName(tool);
                int value = Integer.parseInt(size);
                if (value < 0 || value > KubernetesConfig.MAX_POOL_SIZE) {
                  throw new NumberFormatException();
                }
                sizes.put(tool, value);
              } catch (NumberFormatException e) {
                settings.problem(
                    "%s: the pool size of %s must be an integer between 0 and %d, was '%s'"
                        .formatted(
                            settings.originOf("pools"),
                            tool,
                            KubernetesConfig.MAX_POOL_SIZE,
                            size));
              } catch (ValidationException e) {
                settings.problem(
                    "%s: '%s' is not a tool name".formatted(settings.originOf("pools"), tool));
              }
            });
    return sizes;
  }

  private static Map<ToolName, Integer> inMemoryPools(Map<String, Integer> sizes) {
    Map<ToolName, Integer> pools = new LinkedHashMap<>();
    sizes.forEach((tool, size) -> pools.put(new ToolName(tool), size));
    return pools;
  }

  private static KubernetesConfig kubernetes(Settings settings, Map<String, Integer> pools) {
    boolean localCluster = settings.choice("kubernetes.profile", false, PROFILES);
    KubernetesConfig defaults =
        localCluster ? KubernetesConfig.localCluster() : KubernetesConfig.defaults();
    Map<ScriptLanguage, String> images = new EnumMap<>(ScriptLanguage.class);
    for (ScriptLanguage language : ScriptLanguage.values()) {
      String key = "kubernetes.script-image." + language.name().toLowerCase();
      Optional.ofNullable(defaults.scriptImages().get(language))
          .ifPresent(image -> images.put(language, image));
      settings.optionalString(key).ifPresent(image -> images.put(language, image));
    }
    return defaults.toBuilder()
        .namespace(settings.string("kubernetes.namespace", defaults.namespace()))
        .kubeconfig(settings.optionalString("kubernetes.kubeconfig").map(Path::of))
        .context(settings.optionalString("kubernetes.context"))
        .defaultTimeout(
            settings.seconds(
                "kubernetes.default-timeout-seconds",
                defaults.defaultTimeout(),
                ToolSpec.MAX_TIMEOUT.toSeconds()))
        .defaultCleanupPolicy(
            settings.choice(
                "kubernetes.default-cleanup-policy",
                defaults.defaultCleanupPolicy(),
                cleanupPolicies()))
        .serviceAccount(settings.optionalString("kubernetes.service-account"))
        .imagePullSecret(settings.optionalString("kubernetes.image-pull-secret"))
        .defaultScheduling(scheduling(settings))
        .scriptImages(images)
        .imagePullPolicy(
            settings.choice(
                "kubernetes.image-pull-policy", defaults.imagePullPolicy(), PULL_POLICIES))
        .istioSidecar(settings.bool("kubernetes.istio-sidecar", defaults.istioSidecar()))
        .rateLimit(
            new ApiRateLimit(
                settings.decimal("kubernetes.api-qps", defaults.rateLimit().qps()),
                settings.integer("kubernetes.api-burst", defaults.rateLimit().burst(), 1, 10_000)))
        .imagePullGrace(
            settings.seconds(
                "kubernetes.image-pull-grace-seconds", defaults.imagePullGrace(), 86_400))
        .unschedulableGrace(
            settings.seconds(
                "kubernetes.unschedulable-grace-seconds", defaults.unschedulableGrace(), 86_400))
        .serviceAccess(
            settings.choice("kubernetes.service-access", defaults.serviceAccess(), SERVICE_ACCESS))
        .records(settings.choice("kubernetes.records", defaults.records(), RECORDS))
        .serviceProxyRateLimit(
            new ApiRateLimit(
                settings.decimal(
                    "kubernetes.service-proxy-qps", defaults.serviceProxyRateLimit().qps()),
                settings.integer(
                    "kubernetes.service-proxy-burst",
                    defaults.serviceProxyRateLimit().burst(),
                    1,
                    10_000)))
        .isolationAllowedCidrs(settings.list("kubernetes.isolation-allowed-cidrs"))
        .restrictedPodSecurity(
            settings.bool("kubernetes.restricted-pod-security", defaults.restrictedPodSecurity()))
        .pools(pools)
        .poolMaxAge(
            settings.seconds("kubernetes.pool-max-age-seconds", defaults.poolMaxAge(), 7 * 86_400))
        .queuePositionRefresh(
            settings.seconds(
                "kubernetes.queue-position-refresh-seconds",
                defaults.queuePositionRefresh(),
                3_600))
        .build();
  }

  private static Scheduling scheduling(Settings settings) {
    Map<String, String> nodeSelector = settings.pairs("kubernetes.node-selector");
    List<Toleration> tolerations = new ArrayList<>();
    for (String item : settings.list("kubernetes.tolerations")) {
      try {
        tolerations.add(toleration(item));
      } catch (ValidationException | IllegalArgumentException e) {
        settings.problem(
            "%s: '%s' is not a toleration such as key=value:NoSchedule or key:NoExecute (%s)"
                .formatted(settings.originOf("kubernetes.tolerations"), item, e.getMessage()));
      }
    }
    try {
      return new Scheduling(new TreeMap<>(nodeSelector), tolerations, Affinity.NONE);
    } catch (ValidationException e) {
      settings.problem(settings.originOf("kubernetes.node-selector") + ": " + e.getMessage());
      return Scheduling.ANYWHERE;
    }
  }

  /**
   * A toleration written like a taint: {@code key[=value][:Effect]}; without a value, any value.
   */
  static Toleration toleration(String text) {
    String rest = text;
    Optional<Toleration.Effect> effect = Optional.empty();
    int colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      effect =
          Optional.of(
              switch (rest.substring(colon + 1)) {
                case "NoSchedule" -> Toleration.Effect.NO_SCHEDULE;
                case "PreferNoSchedule" -> Toleration.Effect.PREFER_NO_SCHEDULE;
                case "NoExecute" -> Toleration.Effect.NO_EXECUTE;
                default ->
                    throw new IllegalArgumentException(
                        "unknown effect " + rest.substring(colon + 1));
              });
      rest = rest.substring(0, colon);
    }
    int eq = rest.indexOf('=');
    return eq < 0
        ? new Toleration(
            Optional.of(rest),
            Toleration.Operator.EXISTS,
            Optional.empty(),
            effect,
            Optional.empty())
        : new Toleration(
            Optional.of(rest.substring(0, eq)),
            Toleration.Operator.EQUAL,
            Optional.of(rest.substring(eq + 1)),
            effect,
            Optional.empty());
  }

  private static Map<String, CleanupPolicy> cleanupPolicies() {
    Map<String, CleanupPolicy> names = new LinkedHashMap<>();
    for (CleanupPolicy p : CleanupPolicy.values()) {
      names.put(p.name(), p);
    }
    return names;
  }

  /** Builds one part; a record that refuses its values becomes a problem of that part. */
  private static <T> T build(Settings settings, String part, Supplier<T> builder) {
    try {
      return builder.get();
    } catch (IllegalArgumentException | ValidationException e) {
      settings.problem(part + ": " + e.getMessage());
      return null;
    }
  }

  private static Optional<Path> configFile(List<String> args, Map<String, String> environment) {
    Optional<Path> file =
        Optional.ofNullable(environment.get(CONFIG_FILE_VARIABLE))
            .filter(s -> !s.isBlank())
            .map(Path::of);
    for (int i = 0; i < args.size(); i++) {
      if (args.get(i).equals("--config") && i + 1 < args.size()) {
        file = Optional.of(Path.of(args.get(++i)));
      } else if (args.get(i).startsWith("--config=")) {
        file = Optional.of(Path.of(args.get(i).substring("--config=".length())));
      } else {
        throw new ConfigException(
            List.of("unknown argument '" + args.get(i) + "'; the only argument is --config FILE"));
      }
    }
    return file;
  }

  private static Map<String, String> read(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot be read: " + e.getMessage()));
    }
    Map<String, String> values = new TreeMap<>();
    properties.forEach((k, v) -> values.put((String) k, (String) v));
    return values;
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  @SuppressWarnings("unchecked")
  private static <V> Map<String, V> ordered(Object... namesAndValues) {
    Map<String, V> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      map.put((String) namesAndValues[i], (V) namesAndValues[i + 1]);
    }
    return map;
  }
}
