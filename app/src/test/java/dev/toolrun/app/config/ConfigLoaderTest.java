package dev.toolrun.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.toolrun.adapter.http.Authentication;
import dev.toolrun.adapter.http.ConnectionPolicy;
import dev.toolrun.adapter.http.JsonLimits;
import dev.toolrun.adapter.k8s.ImagePullPolicy;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.LeaderLease;
import dev.toolrun.adapter.k8s.RecordStore;
import dev.toolrun.adapter.logfile.FileLogStoreConfig;
import dev.toolrun.adapter.mcp.SecretReference;
import dev.toolrun.adapter.mcp.ToolSecrets;
import dev.toolrun.adapter.metrics.MetricsConfig;
import dev.toolrun.application.MemoryBudget;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.ScriptLanguage;
import dev.toolrun.domain.tool.Toleration;
import dev.toolrun.domain.tool.ToolName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader(() -> "generated-token");

  @TempDir Path dir;

  private ToolrunConfig load(Map<String, String> env) {
    return loader.load(List.of(), env);
  }

  private Path file(String content) throws IOException {
    Path file = dir.resolve("toolrun.properties");
    Files.writeString(file, content);
    return file;
  }

  @Test
  void defaultsRunInMemoryWithAGeneratedTokenOnPort8080() {
    ToolrunConfig config = load(Map.of());

    assertThat(config.runtime()).isEqualTo(RuntimeMode.IN_MEMORY);
    assertThat(config.http().host()).isEqualTo("0.0.0.0");
    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(config.http().authentication()).isEqualTo(Authentication.bearer("generated-token"));
    assertThat(config.http().connections())
        .isEqualTo(
            new ConnectionPolicy(
                Duration.ofSeconds(10),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                4096,
                1024));
    assertThat(config.http().json()).isEqualTo(new JsonLimits(100_000, 500));
    assertThat(config.generatedToken()).contains("generated-token");
    assertThat(config.capacity().maxServices()).isEqualTo(100);
    assertThat(config.capacity().maxTasks()).isEqualTo(100);
    assertThat(config.storage().maxLogLinesPerInstance()).isEqualTo(10_000);
    assertThat(config.logFiles()).isEmpty();
    assertThat(config.inMemory().stepDelay()).isEqualTo(Duration.ofMillis(200));
    assertThat(config.kubernetes()).isEqualTo(KubernetesConfig.defaults());
    assertThat(config.mcpSecrets()).isEqualTo(ToolSecrets.NONE);
  }

  @Test
  void everyKeyMapsToItsSetting() throws IOException {
    Path kubeconfig = file("irrelevant");
    Path config =
        file(
            String.join(
                "\n",
                "runtime = kubernetes",
                "http.host = 127.0.0.1",
                "http.port = 9090",
                "http.max-body-bytes = 2048",
                "http.header-timeout-seconds = 3",
                "http.body-timeout-seconds = 4",
                "http.idle-timeout-seconds = 5",
                "http.max-connections = 200",
                "http.max-connections-per-client = 20",
                "http.max-json-tokens = 5000",
                "http.max-json-depth = 64",
                "http.stream-heartbeat-seconds = 7",
                "auth.mode = token",
                "auth.token = s3cret",
                "capacity.max-services = 5",
                "capacity.max-tasks = 7",
                "retention.max-age-hours = 48",
                "retention.max-ended = 300",
                "records.memory-budget-bytes = 67108864",
                "logs.max-lines-per-instance = 500",
                "logs.max-line-length = 1000",
                "logs.directory = /var/lib/toolrun/logs",
                "logs.max-bytes-per-instance = 1048576",
                "logs.fsync-interval-ms = 250",
                "in-memory.step-delay-ms = 10",
                "kubernetes.profile = local-cluster",
                "kubernetes.namespace = jobs",
                "kubernetes.kubeconfig = " + kubeconfig,
                "kubernetes.context = ci",
                "kubernetes.default-timeout-seconds = 600",
                "kubernetes.default-cleanup-policy = ON_SUCCESS",
                "kubernetes.service-account = runner",
                "kubernetes.image-pull-secret = regcred",
                "kubernetes.node-selector = disk=ssd, zone=a",
                "kubernetes.tolerations = gpu=yes:NoSchedule, spot:NoExecute, dedicated",
                "kubernetes.script-image.python = registry.example/python:3.12",
                "kubernetes.image-pull-policy = Always",
                "kubernetes.istio-sidecar = true",
                "kubernetes.api-qps = 50",
                "kubernetes.api-burst = 80",
                "kubernetes.image-pull-grace-seconds = 30",
                "kubernetes.unschedulable-grace-seconds = 120",
                "kubernetes.service-access = direct",
                "kubernetes.records = configmaps",
                "kubernetes.isolation-allowed-cidrs = 10.0.0.0/8, 192.168.1.0/24"));

    ToolrunConfig c = loader.load(List.of("--config", config.toString()), Map.of());

    assertThat(c.runtime()).isEqualTo(RuntimeMode.KUBERNETES);
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.http().port()).isEqualTo(9090);
    assertThat(c.http().maxBodyBytes()).isEqualTo(2048);
    assertThat(c.http().authentication()).isEqualTo(Authentication.bearer("s3cret"));
    assertThat(c.http().connections())
        .isEqualTo(
            new ConnectionPolicy(
                Duration.ofSeconds(3), Duration.ofSeconds(4), Duration.ofSeconds(5), 200, 20));
    assertThat(c.http().json()).isEqualTo(new JsonLimits(5000, 64));
    assertThat(c.http().streamHeartbeat()).isEqualTo(Duration.ofSeconds(7));
    assertThat(c.generatedToken()).isEmpty();
    assertThat(c.capacity().maxServices()).isEqualTo(5);
    assertThat(c.capacity().maxTasks()).isEqualTo(7);
    assertThat(c.retention().maxAge()).isEqualTo(Duration.ofHours(48));
    assertThat(c.retention().maxEnded()).isEqualTo(300);
    assertThat(c.memoryBudget()).isEqualTo(new MemoryBudget(64L * 1024 * 1024));
    assertThat(c.storage().maxLogLinesPerInstance()).isEqualTo(500);
    assertThat(c.storage().maxLogLineLength()).isEqualTo(1000);
    assertThat(c.logFiles())
        .contains(
            new FileLogStoreConfig(
                Path.of("/var/lib/toolrun/logs"), 1_048_576, 1000, Duration.ofMillis(250)));
    assertThat(c.inMemory().stepDelay()).isEqualTo(Duration.ofMillis(10));
    KubernetesConfig k = c.kubernetes();
    assertThat(k.namespace()).isEqualTo("jobs");
    assertThat(k.records()).isEqualTo(RecordStore.CONFIG_MAPS);
    assertThat(k.kubeconfig()).contains(kubeconfig);
    assertThat(k.context()).contains("ci");
    assertThat(k.defaultTimeout()).isEqualTo(Duration.ofSeconds(600));
    assertThat(k.defaultCleanupPolicy()).isEqualTo(CleanupPolicy.ON_SUCCESS);
    assertThat(k.serviceAccount()).contains("runner");
    assertThat(k.imagePullSecret()).contains("regcred");
    assertThat(k.defaultScheduling().nodeSelector())
        .containsExactlyInAnyOrderEntriesOf(Map.of("disk", "ssd", "zone", "a"));
    assertThat(k.defaultScheduling().tolerations())
        .containsExactly(
            new Toleration(
                Optional.of("gpu"),
                Toleration.Operator.EQUAL,
                Optional.of("yes"),
                Optional.of(Toleration.Effect.NO_SCHEDULE),
                Optional.empty()),
            new Toleration(
                Optional.of("spot"),
                Toleration.Operator.EXISTS,
                Optional.empty(),
                Optional.of(Toleration.Effect.NO_EXECUTE),
                Optional.empty()),
            new Toleration(
                Optional.of("dedicated"),
                Toleration.Operator.EXISTS,
                Optional.empty(),
                Optional.empty(),
                Optional.empty()));
    assertThat(k.scriptImages())
        .containsEntry(ScriptLanguage.PYTHON, "registry.example/python:3.12")
        .containsEntry(ScriptLanguage.SHELL, "kube-local.test/busybox:1");
    assertThat(k.imagePullPolicy()).isEqualTo(ImagePullPolicy.ALWAYS);
    assertThat(k.istioSidecar()).isTrue();
    assertThat(k.rateLimit().qps()).isEqualTo(50);
    assertThat(k.rateLimit().burst()).isEqualTo(80);
    assertThat(k.imagePullGrace()).isEqualTo(Duration.ofSeconds(30));
    assertThat(k.unschedulableGrace()).isEqualTo(Duration.ofSeconds(120));
    assertThat(k.serviceAccess()).isEqualTo(dev.toolrun.adapter.k8s.ServiceAccess.DIRECT);
    assertThat(k.isolationAllowedCidrs()).containsExactly("10.0.0.0/8", "192.168.1.0/24");
  }

  @Test
  void environmentVariablesOverrideTheFile() throws IOException {
    Path config = file("http.port = 9090\nkubernetes.script-image.python = a/b:1\n");

    ToolrunConfig c =
        load(
            Map.of(
                ConfigLoader.CONFIG_FILE_VARIABLE,
                config.toString(),
                "TOOLRUN_HTTP_PORT",
                "9191",
                "TOOLRUN_KUBERNETES_SCRIPT_IMAGE_PYTHON",
                "c/d:2",
                "TOOLRUN_AUTH_MODE",
                "anonymous",
                "PATH",
                "/usr/bin"));

    assertThat(c.http().port()).isEqualTo(9191);
    assertThat(c.kubernetes().scriptImages()).containsEntry(ScriptLanguage.PYTHON, "c/d:2");
    assertThat(c.http().authentication()).isEqualTo(Authentication.anonymous());
    assertThat(c.generatedToken()).isEmpty();
  }

  @Test
  void theQueuePositionRefreshIsFiveSecondsUnlessSet() {
    assertThat(load(Map.of()).kubernetes().queuePositionRefresh()).isEqualTo(Duration.ofSeconds(5));
    assertThat(
            load(Map.of("TOOLRUN_KUBERNETES_QUEUE_POSITION_REFRESH_SECONDS", "2"))
                .kubernetes()
                .queuePositionRefresh())
        .isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void poolsAreGivenToBothRuntimes() {
    ToolrunConfig c =
        load(
            Map.of(
                "TOOLRUN_POOLS",
                "greeter=2, other=0",
                "TOOLRUN_KUBERNETES_POOL_MAX_AGE_SECONDS",
                "600"));

    assertThat(c.kubernetes().pools())
        .containsExactlyInAnyOrderEntriesOf(Map.of("greeter", 2, "other", 0));
    assertThat(c.kubernetes().poolMaxAge()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.inMemory().pools())
        .containsEntry(new dev.toolrun.domain.tool.ToolName("greeter"), 2);
  }

  @Test
  void aPoolSizeMustBeANumberWithinBoundsForAToolName() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> load(Map.of("TOOLRUN_POOLS", "greeter=many,Not A Name=1,big=101")));

    assertThat(e.problems())
        .anyMatch(p -> p.contains("pool size of greeter") && p.contains("'many'"))
        .anyMatch(p -> p.contains("'Not A Name' is not a tool name"))
        .anyMatch(p -> p.contains("pool size of big") && p.contains("between 0 and 100"));
  }

  @Test
  void everyProblemIsReportedAtOnceNamingItsKey() throws IOException {
    Path config = file("http.port = eighty\nkubernetes.namespace = Not_Valid\nhttp.prot = 1\n");

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                load(
                    Map.of(
                        ConfigLoader.CONFIG_FILE_VARIABLE,
                        config.toString(),
                        "TOOLRUN_RUNTIME",
                        "docker",
                        "TOOLRUN_CAPACITY_MAX_TASKS",
                        "0",
                        "TOOLRUN_HTTP_PROT",
                        "1")));

    assertThat(e.problems())
        .anyMatch(p -> p.startsWith("http.port (in ") && p.contains("'eighty' is not an integer"))
        .anyMatch(p -> p.contains("kubernetes.namespace") && p.contains("Not_Valid"))
        .anyMatch(p -> p.startsWith("http.prot (in ") && p.contains("unknown configuration key"))
        .anyMatch(
            p -> p.startsWith("TOOLRUN_RUNTIME: 'docker' must be one of in-memory, kubernetes"))
        .anyMatch(p -> p.startsWith("TOOLRUN_CAPACITY_MAX_TASKS: '0' must be between 1 and 100000"))
        .anyMatch(p -> p.startsWith("TOOLRUN_HTTP_PROT: unknown environment variable"));
  }

  @Test
  void theLaunchersSettingsAreNoTypos() {
    ToolrunConfig config =
        load(
            Map.of(
                "TOOLRUN_JAR", "/opt/toolrun/toolrun.jar",
                "TOOLRUN_CDS", "off",
                "TOOLRUN_CDS_DIR", "/var/cache/toolrun",
                "TOOLRUN_CDS_TRAINING_TIMEOUT", "30",
                "TOOLRUN_AUTH_TOKEN", "x"));

    assertThat(config.runtime()).isEqualTo(RuntimeMode.IN_MEMORY);
  }

  @Test
  void aTokenWithAnonymousModeIsAContradiction() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> load(Map.of("TOOLRUN_AUTH_MODE", "anonymous", "TOOLRUN_AUTH_TOKEN", "x")));

    assertThat(e.problems()).anyMatch(p -> p.startsWith("auth.token"));
  }

  @Test
  void aLogDirectoryWithTheInMemoryRuntimeIsRefused() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> load(Map.of("TOOLRUN_LOGS_DIRECTORY", "/tmp/logs")));

    assertThat(e.problems()).anyMatch(p -> p.startsWith("logs.directory"));
  }

  @Test
  void metricsAreOnAndOpenAndLogsAreTextByDefault() {
    assertThat(load(Map.of()).observability()).isEqualTo(Observability.DEFAULT);
  }

  @Test
  void theObservabilityKeysMapToTheirSettings() {
    Observability o =
        load(Map.of(
                "TOOLRUN_METRICS_ENABLED", "false",
                "TOOLRUN_METRICS_AUTH", "token",
                "TOOLRUN_LOG_FORMAT", "json"))
            .observability();

    assertThat(o)
        .isEqualTo(new Observability(new MetricsConfig(false), true, Observability.LogFormat.JSON));
  }

  @Test
  void metricsBehindATokenNeedOne() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () -> load(Map.of("TOOLRUN_AUTH_MODE", "anonymous", "TOOLRUN_METRICS_AUTH", "token")));

    assertThat(e.problems()).anyMatch(p -> p.startsWith("metrics.auth"));
  }

  @Test
  void anUnknownLogFormatIsRefused() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class, () -> load(Map.of("TOOLRUN_LOG_FORMAT", "xml")));

    assertThat(e.problems()).anyMatch(p -> p.startsWith("TOOLRUN_LOG_FORMAT") && p.contains("xml"));
  }

  @Test
  void aMalformedTolerationOrSelectorIsRefused() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                load(
                    Map.of(
                        "TOOLRUN_KUBERNETES_TOLERATIONS",
                        "gpu:Sometimes",
                        "TOOLRUN_KUBERNETES_NODE_SELECTOR",
                        "novalue")));

    assertThat(e.problems())
        .anyMatch(
            p -> p.startsWith("TOOLRUN_KUBERNETES_TOLERATIONS") && p.contains("gpu:Sometimes"))
        .anyMatch(p -> p.startsWith("TOOLRUN_KUBERNETES_NODE_SELECTOR") && p.contains("key=value"));
  }

  @Test
  void aMissingKubeconfigOrUnknownArgumentIsRefused() {
    assertThat(
            catchThrowableOfType(
                    ConfigException.class, () -> loader.load(List.of("--port", "1"), Map.of()))
                .problems())
        .anyMatch(p -> p.contains("unknown argument '--port'"));
    assertThat(
            catchThrowableOfType(
                    ConfigException.class,
                    () ->
                        load(
                            Map.of(
                                ConfigLoader.CONFIG_FILE_VARIABLE,
                                dir.resolve("missing.properties").toString())))
                .problems())
        .anyMatch(p -> p.contains("missing.properties: cannot be read"));
  }

  @Test
  void connectionLimitsMustFitTogetherAndTimeoutsBePositive() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                load(
                    Map.of(
                        "TOOLRUN_HTTP_MAX_CONNECTIONS", "10",
                        "TOOLRUN_HTTP_MAX_CONNECTIONS_PER_CLIENT", "11")));
    ConfigException zero =
        catchThrowableOfType(
            ConfigException.class, () -> load(Map.of("TOOLRUN_HTTP_IDLE_TIMEOUT_SECONDS", "0")));

    assertThat(e.problems())
        .anyMatch(p -> p.startsWith("http: ") && p.contains("connections per client"));
    assertThat(zero.problems())
        .anyMatch(
            p -> p.startsWith("TOOLRUN_HTTP_IDLE_TIMEOUT_SECONDS") && p.contains("between 1"));
  }

  @Test
  void theJsonNestingDepthIsBoundedByWhatTheDomainTakesAndWhatTheReaderCanRead() {
    for (String depth : List.of("33", "501")) {
      ConfigException e =
          catchThrowableOfType(
              ConfigException.class, () -> load(Map.of("TOOLRUN_HTTP_MAX_JSON_DEPTH", depth)));

      assertThat(e.problems())
          .singleElement()
          .asString()
          .startsWith("TOOLRUN_HTTP_MAX_JSON_DEPTH: '" + depth + "' must be between 34 and 500");
    }
    assertThat(load(Map.of("TOOLRUN_HTTP_MAX_JSON_DEPTH", "34")).http().json().maxDepth())
        .isEqualTo(34);
  }

  @Test
  void environmentVariableNamesFollowTheKeys() {
    assertThat(Settings.variableOf("kubernetes.script-image.python"))
        .isEqualTo("TOOLRUN_KUBERNETES_SCRIPT_IMAGE_PYTHON");
    assertThat(Settings.variableOf("http.max-body-bytes")).isEqualTo("TOOLRUN_HTTP_MAX_BODY_BYTES");
  }

  @Test
  void mcpSecretsBindEachToolsSecretInputToAnEnvironmentVariableOrAFile() throws IOException {
    Path config =
        file(
            "mcp.secrets.greeter.GREETER_TOKEN = env:GREETER_TOKEN\n"
                + "mcp.secrets.deployer.API_KEY = file:/run/secrets/api-key\n"
                + "mcp.secrets.deployer.REGISTRY_PASSWORD = env:REGISTRY_PASSWORD\n");

    ToolSecrets secrets =
        load(Map.of(
                ConfigLoader.CONFIG_FILE_VARIABLE,
                config.toString(),
                "GREETER_TOKEN",
                "t",
                "REGISTRY_PASSWORD",
                "p"))
            .mcpSecrets();

    assertThat(secrets.find(new ToolName("greeter"), "GREETER_TOKEN"))
        .contains(new SecretReference.Environment("GREETER_TOKEN"));
    assertThat(secrets.find(new ToolName("deployer"), "API_KEY"))
        .contains(new SecretReference.File(Path.of("/run/secrets/api-key")));
    assertThat(secrets.find(new ToolName("deployer"), "REGISTRY_PASSWORD")).isPresent();
    assertThat(secrets.bindings()).hasSize(2);
    // The configuration holds references only: nothing in it is a secret.
    assertThat(secrets.toString()).doesNotContain("=t").doesNotContain("=p");
  }

  @Test
  void aMalformedMcpSecretIsAProblemThatNeverEchoesTheValue() throws IOException {
    Path config =
        file(
            String.join(
                "\n",
                "mcp.secrets.greeter.TOKEN = pasted-secret-value",
                "mcp.secrets.greeter.UNSET = env:NOBODY_SET_THIS",
                "mcp.secrets.greeter.RELATIVE = file:secrets/x",
                "mcp.secrets.Not_A_Tool.TOKEN = env:HOME_X",
                "mcp.secrets.greeter = env:HOME_X",
                "mcp.secrets.greeter.not-a-name = env:HOME_X",
                ""));

    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                load(
                    Map.of(
                        ConfigLoader.CONFIG_FILE_VARIABLE,
                        config.toString(),
                        "HOME_X",
                        "x",
                        "TOOLRUN_MCP_SECRETS_GREETER_TOKEN",
                        "env:HOME_X")));

    assertThat(e.problems())
        .anyMatch(p -> p.startsWith("mcp.secrets.greeter.TOKEN (in ") && p.contains("env:VARIABLE"))
        .anyMatch(p -> p.startsWith("mcp.secrets.greeter.UNSET") && p.contains("is not set"))
        .anyMatch(p -> p.startsWith("mcp.secrets.greeter.RELATIVE") && p.contains("absolute"))
        .anyMatch(p -> p.startsWith("mcp.secrets.Not_A_Tool.TOKEN"))
        .anyMatch(p -> p.startsWith("mcp.secrets.greeter (in ") && p.contains("<tool>"))
        .anyMatch(p -> p.startsWith("mcp.secrets.greeter.not-a-name") && p.contains("secret input"))
        .anyMatch(p -> p.startsWith("TOOLRUN_MCP_SECRETS_GREETER_TOKEN: unknown environment"))
        .noneMatch(p -> p.contains("pasted-secret-value"));
  }

  @Test
  void theRecordsMemoryBudgetIsAQuarterOfTheHeapUnlessSetAndNeverTiny() {
    assertThat(loader.load(List.of(), Map.of()).memoryBudget())
        .isEqualTo(MemoryBudget.ofThisHeap());
    assertThatThrownBy(
            () -> loader.load(List.of(), Map.of("TOOLRUN_RECORDS_MEMORY_BUDGET_BYTES", "1000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TOOLRUN_RECORDS_MEMORY_BUDGET_BYTES");
  }

  @Test
  void leaderElectionIsOffByDefaultAndOnTakesTheLeaseSettings() {
    assertThat(load(Map.of()).leader()).isEmpty();
    assertThat(load(Map.of()).drain()).isEqualTo(Duration.ofSeconds(10));

    ToolrunConfig config =
        load(
            Map.of(
                "TOOLRUN_RUNTIME", "kubernetes",
                "TOOLRUN_LEADER_ENABLED", "true",
                "TOOLRUN_LEADER_IDENTITY", "toolrun-0",
                "TOOLRUN_LEADER_LEASE_NAME", "my-lease",
                "TOOLRUN_LEADER_LEASE_SECONDS", "20",
                "TOOLRUN_LEADER_RENEW_DEADLINE_SECONDS", "12",
                "TOOLRUN_LEADER_RETRY_MS", "2000",
                "TOOLRUN_SHUTDOWN_DRAIN_SECONDS", "5"));

    assertThat(config.leader())
        .contains(
            new LeaderLease(
                "my-lease",
                "toolrun-0",
                Duration.ofSeconds(20),
                Duration.ofSeconds(12),
                Duration.ofSeconds(2)));
    assertThat(config.drain()).isEqualTo(Duration.ofSeconds(5));
    assertThat(
            load(Map.of("TOOLRUN_RUNTIME", "kubernetes", "TOOLRUN_LEADER_ENABLED", "true"))
                .leader()
                .orElseThrow())
        .extracting(LeaderLease::name, LeaderLease::duration, LeaderLease::renewDeadline)
        .containsExactly("toolrun-leader", Duration.ofSeconds(8), Duration.ofSeconds(5));
  }

  @Test
  void aLeaseThatCannotFenceAndAnElectionInMemoryAreRefused() {
    ConfigException unfenced =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                load(
                    Map.of(
                        "TOOLRUN_RUNTIME", "kubernetes",
                        "TOOLRUN_LEADER_ENABLED", "true",
                        "TOOLRUN_LEADER_LEASE_SECONDS", "5",
                        "TOOLRUN_LEADER_RENEW_DEADLINE_SECONDS", "5")));
    assertThat(unfenced.problems())
        .anyMatch(p -> p.startsWith("leader:") && p.contains("shorter than the lease"));

    ConfigException inMemory =
        catchThrowableOfType(
            ConfigException.class, () -> load(Map.of("TOOLRUN_LEADER_ENABLED", "true")));
    assertThat(inMemory.problems())
        .anyMatch(p -> p.startsWith("leader.enabled") && p.contains("in-memory"));
  }

  @Test
  void aPodNameMarksThatPodAndIsTheIdentityInTheLease() {
    assertThat(
            load(Map.of("TOOLRUN_RUNTIME", "kubernetes", "TOOLRUN_LEADER_ENABLED", "true"))
                .leaderPod())
        .as("no pod name: no pod is marked")
        .isEmpty();

    ToolrunConfig config =
        load(
            Map.of(
                "TOOLRUN_RUNTIME", "kubernetes",
                "TOOLRUN_LEADER_ENABLED", "true",
                "TOOLRUN_LEADER_POD_NAME", "toolrun-7d9f-abcde"));

    assertThat(config.leaderPod()).contains("toolrun-7d9f-abcde");
    assertThat(config.leader().orElseThrow().identity()).isEqualTo("toolrun-7d9f-abcde");
    assertThat(load(Map.of("TOOLRUN_LEADER_POD_NAME", "toolrun-0")).leaderPod())
        .as("without an election there is no role to mark")
        .isEmpty();
    ConfigException differing =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                load(
                    Map.of(
                        "TOOLRUN_RUNTIME", "kubernetes",
                        "TOOLRUN_LEADER_ENABLED", "true",
                        "TOOLRUN_LEADER_POD_NAME", "toolrun-0",
                        "TOOLRUN_LEADER_IDENTITY", "someone-else")));
    assertThat(differing.problems())
        .anyMatch(p -> p.startsWith("leader.identity") && p.contains("leader.pod-name"));
  }
}
