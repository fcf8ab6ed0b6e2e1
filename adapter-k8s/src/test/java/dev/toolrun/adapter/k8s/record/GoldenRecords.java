package dev.toolrun.adapter.k8s.record;

import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.IdempotencyKey;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.LogTail;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.domain.instance.ServiceHealth;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.domain.tool.Affinity;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Gpu;
import dev.toolrun.domain.tool.JsonSchema;
import dev.toolrun.domain.tool.LabelRequirement;
import dev.toolrun.domain.tool.NodeSelectorTerm;
import dev.toolrun.domain.tool.Parallelism;
import dev.toolrun.domain.tool.PodAffinityRule;
import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.domain.tool.Quantity;
import dev.toolrun.domain.tool.ResourceRange;
import dev.toolrun.domain.tool.Resources;
import dev.toolrun.domain.tool.Scheduling;
import dev.toolrun.domain.tool.Script;
import dev.toolrun.domain.tool.ScriptLanguage;
import dev.toolrun.domain.tool.SecuritySettings;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.Toleration;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.domain.tool.UnhealthyAction;
import dev.toolrun.domain.tool.VolumeClaimMount;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The records of the golden fixtures: a tool in five versions that between them use every part of a
 * spec, and instances in every state and failure shape. Each fixture file under {@code golden/v1}
 * holds the record ConfigMap that toolrun 2fb5d17 wrote for one of these, except the two of typed
 * tools ({@code tool-v5-typed-task}, {@code instance-succeeded-result-violations}), written when
 * schemas were added to schema version 1 as optional fields (so they carry {@code schemaVersion}),
 * {@code instance-running-secret-ref}, written when secret references were added the same way, and
 * {@code instance-cancelled-log-incomplete}, written when the status's {@code log} was added to
 * schema version 1. They are fixed forever, as records that a released toolrun left in a cluster.
 */
final class GoldenRecords {
  static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  static final ToolName TOOL = new ToolName("golden-tool");
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private GoldenRecords() {}

  /** The tool versions, by fixture name. */
  static Map<String, Tool> tools() {
    Map<String, Tool> tools = new LinkedHashMap<>();
    tools.put(
        "tool-v1-script-task-every-setting",
        new Tool(TOOL, 1, "uses every setting", everySetting(), T0));
    tools.put(
        "tool-v2-image-task-defaults",
        new Tool(
            TOOL,
            2,
            "",
            ToolSpec.task(new ContainerImage("busybox:1.36", List.of(), List.of())).build(),
            T0.plusSeconds(60)));
    tools.put(
        "tool-v3-script-service",
        new Tool(TOOL, 3, "a shell service", scriptService(), T0.plusSeconds(120)));
    tools.put(
        "tool-v4-image-service",
        new Tool(TOOL, 4, "an image service", imageService(), T0.plusSeconds(180)));
    tools.put(
        "tool-v5-typed-task",
        new Tool(TOOL, 5, "a task with schemas", typedTask(), T0.plusSeconds(240)));
    return tools;
  }

  private static ToolSpec everySetting() {
    return ToolSpec.task(
            new Script(
                ScriptLanguage.PYTHON,
                "import json\nprint(json.dumps({'ok': True}))\n",
                List.of("--verbose", "a b")))
        .resources(
            new Resources(
                ResourceRange.of("250m", "1"),
                ResourceRange.of("64Mi", "1.5Gi"),
                Optional.of(new Gpu(2, "nvidia.com/gpu"))))
        .env("GREETING", "hello")
        .env("EMPTY", "")
        .secretInput("API_TOKEN")
        .secretInput("DB_PASSWORD")
        .scheduling(
            new Scheduling(
                new TreeMap<>(Map.of("kubernetes.io/hostname", "node-1", "disktype", "ssd")),
                List.of(
                    new Toleration(
                        Optional.of("gpu"),
                        Toleration.Operator.EXISTS,
                        Optional.empty(),
                        Optional.of(Toleration.Effect.NO_SCHEDULE),
                        Optional.empty()),
                    new Toleration(
                        Optional.of("dedicated"),
                        Toleration.Operator.EQUAL,
                        Optional.of("tools"),
                        Optional.of(Toleration.Effect.NO_EXECUTE),
                        Optional.of(300L))),
                new Affinity(
                    List.of(
                        new NodeSelectorTerm(
                            List.of(
                                new LabelRequirement(
                                    "kubernetes.io/os",
                                    LabelRequirement.Operator.IN,
                                    List.of("linux")),
                                new LabelRequirement(
                                    "spot", LabelRequirement.Operator.DOES_NOT_EXIST, List.of())))),
                    List.of(
                        new PodAffinityRule(
                            Map.of("app", "cache"), "kubernetes.io/hostname", Optional.empty())),
                    List.of(
                        new PodAffinityRule(
                            Map.of("toolrun.dev/tool", "golden-tool"),
                            "topology.kubernetes.io/zone",
                            Optional.of(50))))))
        .security(
            new SecuritySettings(
                true,
                Optional.of(1000L),
                false,
                false,
                List.of("ALL"),
                List.of("NET_BIND_SERVICE")))
        .serviceAccount("tool-runner")
        .imagePullSecret("regcred")
        .volume(new VolumeClaimMount("data", "/data", false))
        .volume(new VolumeClaimMount("models", "/models", true))
        .parallelism(new Parallelism(3, 6))
        .timeout(Duration.ofSeconds(120))
        .retryLimit(2)
        .cleanupPolicy(CleanupPolicy.ON_SUCCESS)
        .istioSidecar(false)
        .build();
  }

  private static ToolSpec scriptService() {
    ServiceSettings settings =
        new ServiceSettings(
            8080,
            Protocol.HTTP,
            "/healthz",
            Duration.ofSeconds(2),
            3,
            4,
            Duration.ofSeconds(5),
            Duration.ofSeconds(60),
            UnhealthyAction.RESTART,
            2,
            true);
    return ToolSpec.service(
            Script.of(ScriptLanguage.SHELL, "exec python3 -m http.server 8080\n"), settings)
        .cleanupPolicy(CleanupPolicy.ALWAYS)
        .istioSidecar(true)
        .build();
  }

  private static ToolSpec imageService() {
    ServiceSettings settings =
        new ServiceSettings(
            9000,
            Protocol.GRPC,
            "/",
            Duration.ofSeconds(10),
            1,
            1,
            Duration.ofSeconds(30),
            Duration.ofSeconds(300),
            UnhealthyAction.FAIL,
            0,
            false);
    return ToolSpec.service(
            new ContainerImage(
                "ghcr.io/example/echo:2", List.of("/bin/echo-server"), List.of("--port", "9000")),
            settings)
        .resources(
            new Resources(
                new ResourceRange(Optional.of(Quantity.parse("100m")), Optional.empty()),
                new ResourceRange(Optional.empty(), Optional.of(Quantity.parse("128M"))),
                Optional.empty()))
        .build();
  }

  /**
   * A task with both schemas, which use what a schema document can hold: nested objects and arrays,
   * an exact decimal, a JSON null, a local reference and a key order worth keeping.
   */
  private static ToolSpec typedTask() {
    Map<String, Object> nothing = new LinkedHashMap<>();
    nothing.put("const", null);
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("name", Map.of("type", "string", "minLength", 1));
    properties.put("ratio", Map.of("type", "number", "multipleOf", new BigDecimal("0.25")));
    properties.put("tags", Map.of("type", "array", "items", Map.of("$ref", "#/$defs/tag")));
    properties.put("unused", nothing);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("$schema", JsonSchema.DIALECT);
    input.put("type", "object");
    input.put("required", List.of("name"));
    input.put("properties", properties);
    input.put("$defs", Map.of("tag", Map.of("type", "string", "pattern", "^[a-z]+$")));
    return ToolSpec.task(new ContainerImage("registry.example/greeter:1", List.of(), List.of()))
        .inputSchema(new JsonSchema(input))
        .outputSchema(
            new JsonSchema(
                Map.of(
                    "type",
                    "object",
                    "required",
                    List.of("greeting"),
                    "properties",
                    Map.of("greeting", Map.of("type", "string")))))
        .build();
  }

  /** The fixture files of {@code version}, e.g. {@code v1}, sorted. */
  static List<Path> fixtures(String version) {
    try (Stream<Path> files = Files.list(directory(version))) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The record ConfigMap of fixture {@code name} of {@code version}. */
  static ConfigMap fixture(String version, String name) {
    return record(directory(version).resolve(name + ".yaml"));
  }

  static ConfigMap record(Path fixture) {
    try {
      return YAML.unmarshal(Files.readString(fixture), ConfigMap.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path directory(String version) {
    try {
      return Path.of(GoldenRecords.class.getResource("golden/" + version).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InstanceId id(int n) {
    return new InstanceId("0193a9b2-7c1d-7aaa-8bbb-%012d".formatted(n));
  }

  private static Instance task(
      int n, Parameters parameters, Set<String> secrets, Optional<IdempotencyKey> key) {
    return Instance.launch(
        id(n),
        tools().get("tool-v1-script-task-every-setting"),
        parameters,
        secrets,
        key,
        T0.plusSeconds(n));
  }

  private static Instance task(int n) {
    return task(n, new Parameters(Map.of("text", "a b c")), Set.of(), Optional.empty());
  }

  private static Instance started(int n) {
    Instant at = T0.plusSeconds(n);
    return task(n)
        .transitionTo(InstanceState.CREATING, at.plusMillis(100))
        .transitionTo(InstanceState.STARTING, at.plusMillis(1500));
  }

  private static Instance service(int n) {
    return Instance.launch(
        id(n),
        tools().get("tool-v3-script-service"),
        Parameters.NONE,
        Set.of(),
        Optional.empty(),
        T0.plusSeconds(n));
  }

  private static Instance serving(int n) {
    Instant at = T0.plusSeconds(n);
    return service(n)
        .transitionTo(InstanceState.CREATING, at.plusMillis(100))
        .transitionTo(InstanceState.STARTING, at.plusMillis(200))
        .transitionTo(InstanceState.RUNNING, at.plusMillis(300))
        .transitionTo(InstanceState.SERVING, at.plusMillis(400));
  }

  /** The instances, by fixture name, in the states they are stored in. */
  static Map<String, Instance> instances() {
    Map<String, Instance> instances = new LinkedHashMap<>();
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("text", "a b c");
    parameters.put("exact", new BigDecimal("1.10"));
    parameters.put("big", new BigDecimal("123456789012345678901234567890"));
    parameters.put(
        "nested", Map.of("list", List.of("a", true, new BigDecimal("-2.5e-3")), "flag", false));
    instances.put(
        "instance-pending",
        task(1, new Parameters(parameters), Set.of("API_TOKEN", "DB_PASSWORD"), Optional.empty()));
    instances.put(
        "instance-pending-idempotency-key",
        task(
            2,
            Parameters.NONE,
            Set.of(),
            Optional.of(
                new IdempotencyKey(
                    "order-42/attempt:1", "sha256:9f86d081884c7d659a2feaa0c55ad015"))));
    Instant at3 = T0.plusSeconds(3);
    instances.put(
        "instance-running", started(3).transitionTo(InstanceState.RUNNING, at3.plusSeconds(2)));
    Instant at4 = T0.plusSeconds(4);
    instances.put(
        "instance-succeeded-result-log-tail-key",
        task(
                4,
                new Parameters(Map.of("n", 7)),
                Set.of("API_TOKEN"),
                Optional.of(new IdempotencyKey("k-4", "fp-4")))
            .transitionTo(InstanceState.CREATING, at4)
            .transitionTo(InstanceState.STARTING, at4.plusSeconds(1))
            .transitionTo(InstanceState.RUNNING, at4.plusSeconds(2))
            .succeed(
                Optional.of(new ToolResult("{\"answer\":42,\"words\":[\"a\",\"b\"]}")),
                at4.plusSeconds(9))
            .withLogTail(new LogTail(List.of("starting", "counted 3 words", "done"), 1503)));
    instances.put(
        "instance-succeeded-no-result", started(5).succeed(Optional.empty(), T0.plusSeconds(8)));
    // Written when secret references were added to schema version 1 as an optional field.
    Instant at7 = T0.plusSeconds(7);
    instances.put(
        "instance-running-secret-ref",
        Instance.launch(
                id(7),
                tools().get("tool-v1-script-task-every-setting"),
                Parameters.NONE,
                Set.of("API_TOKEN", "DB_PASSWORD"),
                Optional.of(new SecretReference("golden-tokens")),
                Optional.empty(),
                at7)
            .transitionTo(InstanceState.CREATING, at7.plusMillis(100))
            .transitionTo(InstanceState.STARTING, at7.plusMillis(1500))
            .startedAs(WorkloadStart.COLD)
            .transitionTo(InstanceState.RUNNING, at7.plusSeconds(2)));
    Instant at6 = T0.plusSeconds(6);
    instances.put(
        "instance-succeeded-result-violations",
        Instance.launch(
                id(6),
                tools().get("tool-v5-typed-task"),
                new Parameters(Map.of("name", "Ada")),
                Set.of(),
                Optional.empty(),
                at6)
            .transitionTo(InstanceState.CREATING, at6)
            .transitionTo(InstanceState.STARTING, at6.plusSeconds(1))
            .transitionTo(InstanceState.RUNNING, at6.plusSeconds(2))
            .succeed(
                Optional.of(
                    new ToolResult(
                        "{\"greeting\":42}",
                        List.of(new Violation("/greeting", "integer found, string expected")))),
                at6.plusSeconds(3)));
    List<FailureReason> failures =
        List.of(
            new FailureReason.ImagePullFailed("registry.example/missing:1", "manifest unknown"),
            new FailureReason.Unschedulable(
                "0/3 nodes are available: 3 Insufficient nvidia.com/gpu."),
            new FailureReason.OutOfMemory("container main was OOMKilled (limit 256Mi)"),
            new FailureReason.ExitedNonZero(3),
            new FailureReason.CrashLoop(
                137, List.of("Traceback (most recent call last):", "MemoryError")),
            new FailureReason.RuntimeError("the Job was deleted by someone else"),
            new FailureReason.DeadlineExceeded(Duration.ofSeconds(120)),
            new FailureReason.Cancelled());
    int n = 10;
    for (FailureReason failure : failures) {
      Instance failed =
          started(n)
              .fail(
                  failure,
                  failure instanceof FailureReason.CrashLoop ? Optional.of(137) : Optional.empty(),
                  T0.plusSeconds(n + 30));
      if (failure instanceof FailureReason.OutOfMemory) {
        failed = failed.withLogTail(new LogTail(List.of("allocating"), 1));
      }
      instances.put(
          "instance-"
              + failed.state().name().toLowerCase().replace('_', '-')
              + "-"
              + failure.kind().name().toLowerCase().replace('_', '-'),
          failed);
      n++;
    }
    instances.put(
        "instance-cancelled-while-pending",
        task(20).fail(new FailureReason.Cancelled(), Optional.empty(), T0.plusSeconds(21)));
    instances.put(
        "instance-cancelled-log-incomplete",
        started(21)
            .fail(new FailureReason.Cancelled(), Optional.empty(), T0.plusSeconds(25))
            .withLogTail(
                new LogTail(
                    List.of("line 4998", "line 4999"),
                    5000,
                    2000,
                    true,
                    Optional.of("the output did not finish draining within 10 s"))));
    Instant at30 = T0.plusSeconds(30);
    instances.put(
        "instance-serving-health-restarts",
        serving(30)
            .withHealth(ServiceHealth.UNCHECKED.failed(at30.plusSeconds(1), "connection refused"))
            .restart(at30.plusSeconds(2))
            .transitionTo(InstanceState.RUNNING, at30.plusSeconds(3))
            .transitionTo(InstanceState.SERVING, at30.plusSeconds(4))
            .withHealth(
                ServiceHealth.UNCHECKED
                    .failed(at30.plusSeconds(5), "HTTP 503")
                    .passed(at30.plusSeconds(7))
                    .failed(at30.plusSeconds(9), "timed out after 2s"))
            .withLogTail(new LogTail(List.of("listening on :8080"), 1)));
    Instant at31 = T0.plusSeconds(31);
    instances.put(
        "instance-failed-health-check-failed",
        serving(31)
            .withHealth(
                ServiceHealth.UNCHECKED
                    .failed(at31.plusSeconds(1), "HTTP 500")
                    .failed(at31.plusSeconds(2), "HTTP 500"))
            .fail(
                new FailureReason.HealthCheckFailed(3, "HTTP 500"),
                Optional.empty(),
                at31.plusSeconds(3)));
    Instant at32 = T0.plusSeconds(32);
    instances.put(
        "instance-stopped-service",
        serving(32)
            .withHealth(ServiceHealth.UNCHECKED.passed(at32.plusSeconds(1)))
            .transitionTo(InstanceState.STOPPING, at32.plusSeconds(5))
            .transitionTo(InstanceState.STOPPED, at32.plusSeconds(6)));
    return instances;
  }
}
