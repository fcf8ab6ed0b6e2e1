package dev.toolrun.adapter.k8s.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.CountedToolrun;
import dev.toolrun.adapter.k8s.LocalCluster;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.application.Toolrun;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.domain.tool.Script;
import dev.toolrun.domain.tool.ScriptLanguage;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.GetInstanceLogsUseCase.GetInstanceLogsQuery;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.PoolStatus;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Warm pools on a real cluster, as the unprivileged runner with toolrun's Role (which now allows
 * {@code pods/exec}): the README's greeter through a pool gives the same result, log and exit code
 * as cold; a failing tool fails the same way; no secret value is in any pool pod's spec or
 * environment, before or after its claim, nor in a ConfigMap; the pool refills; and the time from
 * launch to the tool's first instruction, warm and cold, in one line of bench/run's result format.
 */
class WarmPoolClusterIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private static final String SECRET = "s3cr3t-warm-pool-value";
  private static final int SAMPLES = Integer.getInteger("toolrun.it.pool-samples", 5);

  /** The README's greeter, which also records when its first instruction ran. */
  private static final String GREETER =
      String.join(
          "\n",
          "import time",
          "started = time.time()",
          "import json, os",
          "params = json.load(open(os.environ['TOOLRUN_PARAMETERS_FILE']))",
          "print('hello', params['name'])",
          "print('token length', len(os.environ['TOKEN']))",
          "open(os.environ['TOOLRUN_RESULT_FILE'], 'w').write(json.dumps({'greeting': 'hello ' +"
              + " params['name'], 'instance': os.environ['TOOLRUN_INSTANCE_ID'], 'started':"
              + " started}))",
          "");

  private static final String FAILER = "print('about to fail')\nraise SystemExit(3)\n";

  private CountedToolrun toolrun;
  private LocalCluster cluster;
  private Toolrun app;

  @BeforeEach
  void start() {
    toolrun =
        CountedToolrun.start(
            config ->
                config.toBuilder()
                    .pools(Map.of("greeter", 1, "failer", 1, "sleeper", 1, "hog", 1))
                    .build());
    cluster = toolrun.cluster;
    app = toolrun.app;
    ToolSpec greeter =
        ToolSpec.task(Script.of(ScriptLanguage.PYTHON, GREETER))
            .secretInput("TOKEN")
            .timeout(Duration.ofSeconds(60))
            .build();
    register("greeter", greeter);
    // The same tool without a pool: its runs start cold, for the side-by-side comparison.
    register("greeter-cold", greeter);
    ToolSpec failer = ToolSpec.task(Script.of(ScriptLanguage.PYTHON, FAILER)).build();
    register("failer", failer);
    register("failer-cold", failer);
  }

  @AfterEach
  void stop() {
    toolrun.close();
  }

  @Test
  void aRunThroughThePoolIsTheColdRunFaster() throws Exception {
    awaitReady("greeter");
    assertNoSecretInPods("waiting pool pods");

    Instance cold = runToEnd("greeter-cold", "Ada");
    Instance warm = runToEnd("greeter", "Ada");

    assertThat(cold.start()).contains(WorkloadStart.COLD);
    assertThat(warm.start()).contains(WorkloadStart.WARM);
    assertThat(warm.state()).isEqualTo(cold.state());
    assertThat(warm.exitCode()).isEqualTo(cold.exitCode()).contains(0);
    assertThat(result(warm).get("greeting")).isEqualTo(result(cold).get("greeting"));
    assertThat(result(warm).get("instance")).isEqualTo(warm.id().value());
    assertThat(logLines(warm)).isEqualTo(logLines(cold)).contains("hello Ada");
    // The run started at the claim, not when the pool pod did.
    assertThat(warm.enteredAt(dev.toolrun.domain.instance.InstanceState.RUNNING).orElseThrow())
        .isAfterOrEqualTo(warm.createdAt());
    assertNoSecretInPods("the claimed pod and the waiting ones");

    awaitReady("failer");
    Instance coldFailure = runToEnd("failer-cold", null);
    Instance warmFailure = runToEnd("failer", null);
    assertThat(warmFailure.start()).contains(WorkloadStart.WARM);
    assertThat(warmFailure.state()).isEqualTo(coldFailure.state());
    assertThat(warmFailure.failure().map(f -> f.kind()))
        .isEqualTo(coldFailure.failure().map(f -> f.kind()));
    assertThat(warmFailure.exitCode()).isEqualTo(coldFailure.exitCode()).contains(3);
    assertThat(logLines(warmFailure)).isEqualTo(logLines(coldFailure));

    // Killed for memory: the same failure kind, warm and cold.
    ToolSpec hog =
        ToolSpec.task(
                Script.of(
                    ScriptLanguage.PYTHON, "print('eating')\nx = bytearray(512 * 1024 * 1024)\n"))
            .resources(
                new dev.toolrun.domain.tool.Resources(
                    dev.toolrun.domain.tool.ResourceRange.UNBOUNDED,
                    dev.toolrun.domain.tool.ResourceRange.of("32Mi", "32Mi"),
                    Optional.empty()))
            .build();
    register("hog", hog);
    register("hog-cold", hog);
    awaitReady("hog");
    Instance coldOom = runToEnd("hog-cold", null);
    Instance warmOom = runToEnd("hog", null);
    assertThat(warmOom.start()).contains(WorkloadStart.WARM);
    assertThat(coldOom.failure().map(f -> f.kind()))
        .contains(dev.toolrun.domain.instance.FailureKind.OUT_OF_MEMORY);
    assertThat(warmOom.failure().map(f -> f.kind()))
        .isEqualTo(coldOom.failure().map(f -> f.kind()));
    assertThat(warmOom.state()).isEqualTo(coldOom.state());

    // The pool refilled after its claims.
    awaitReady("greeter");
    PoolStatus greeter = pool("greeter");
    assertThat(greeter.claimed()).isGreaterThanOrEqualTo(1);

    measure();
  }

  /**
   * Launch to the tool's first instruction and to SUCCEEDED, warm and cold, one after another; and
   * the floor of the warm path in the same run: one exec into a waiting pool pod that runs {@code
   * python3 -c}, from the call to the interpreter's first instruction.
   */
  private void measure() throws Exception {
    List<Long> warm = new ArrayList<>();
    List<Long> cold = new ArrayList<>();
    List<Long> warmDone = new ArrayList<>();
    List<Long> coldDone = new ArrayList<>();
    List<Long> floor = new ArrayList<>();
    for (int i = 0; i < SAMPLES; i++) {
      awaitReady("greeter");
      floor.add(execFloorMillis());
      Instance w = runToEnd("greeter", "w" + i);
      assertThat(w.start()).contains(WorkloadStart.WARM);
      warm.add(firstInstructionMillis(w));
      warmDone.add(succeededMillis(w));
      Instance c = runToEnd("greeter-cold", "c" + i);
      cold.add(firstInstructionMillis(c));
      coldDone.add(succeededMillis(c));
    }
    System.out.printf(
        "RESULT pool.launch_to_first_instruction samples=%d warm=%s cold=%s exec_floor=%s"
            + " warm_over_floor_p50=%.1f cold_over_warm_p50=%.1f%n",
        SAMPLES,
        stats(warm),
        stats(cold),
        stats(floor),
        (double) median(warm) / Math.max(1, median(floor)),
        (double) median(cold) / Math.max(1, median(warm)));
    System.out.printf(
        "RESULT pool.launch_to_succeeded samples=%d warm=%s cold=%s%n",
        SAMPLES, stats(warmDone), stats(coldDone));
    assertThat(median(warm)).as("warm p50 against cold p50").isLessThan(median(cold));
  }

  /** One exec into a waiting pool pod running python, to its first instruction. */
  private long execFloorMillis() throws Exception {
    var pod =
        cluster
            .runner()
            .pods()
            .inNamespace(cluster.namespace())
            .withLabel(WorkloadLabels.POOL, WorkloadLabels.POOL_WAITING)
            .withLabel(WorkloadLabels.TOOL, "greeter")
            .list()
            .getItems()
            .stream()
            .filter(PoolClaim::canTakeRun)
            .findFirst()
            .orElseThrow();
    Instant sent = Instant.now();
    PodExec.Outcome outcome =
        PodExec.run(
                cluster.runner(),
                cluster.namespace(),
                pod.getMetadata().getName(),
                dev.toolrun.adapter.k8s.job.JobFactory.CONTAINER,
                new String[] {"python3", "-c", "import time; print(time.time())"},
                new byte[0])
            .get(30, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
    double first = Double.parseDouble(outcome.stdout().strip());
    return Duration.between(sent, Instant.ofEpochMilli((long) (first * 1000))).toMillis();
  }

  private static long succeededMillis(Instance instance) {
    return Duration.between(instance.createdAt(), instance.updatedAt()).toMillis();
  }

  /** min/p50/max in milliseconds. */
  private static String stats(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return "%d/%d/%d".formatted(sorted.get(0), median(values), sorted.get(sorted.size() - 1));
  }

  private long firstInstructionMillis(Instance instance) {
    double started = ((Number) result(instance).get("started")).doubleValue();
    Instant first = Instant.ofEpochMilli((long) (started * 1000));
    return Duration.between(instance.createdAt(), first).toMillis();
  }

  private static long median(List<Long> values) {
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private void register(String name, ToolSpec spec) {
    app.registerTool().register(new RegisterToolCommand(new ToolName(name), name, spec));
  }

  private PoolStatus pool(String tool) {
    return app.describeRuntime().describe().pools().stream()
        .filter(p -> p.tool().value().equals(tool))
        .findFirst()
        .orElseThrow();
  }

  private void awaitReady(String tool) {
    await().atMost(PATIENCE).until(() -> pool(tool).ready() >= 1);
  }

  private Instance runToEnd(String tool, String name) {
    boolean greets = name != null;
    InstanceId id =
        app.launchInstance()
            .launch(
                new LaunchInstanceCommand(
                    new ToolName(tool),
                    Optional.empty(),
                    greets ? new Parameters(Map.of("name", name)) : Parameters.NONE,
                    greets ? new SecretValues(Map.of("TOKEN", SECRET)) : SecretValues.NONE,
                    Optional.empty()))
            .view()
            .instance()
            .id();
    await()
        .atMost(PATIENCE)
        .until(() -> app.getInstance().get(new GetInstanceQuery(id)).instance().isTerminal());
    Instance ended = app.getInstance().get(new GetInstanceQuery(id)).instance();
    await().atMost(PATIENCE).until(() -> logPage(ended.id()).complete());
    return app.getInstance().get(new GetInstanceQuery(id)).instance();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> result(Instance instance) {
    return (Map<String, Object>)
        dev.toolrun.domain.json.JsonText.parse(instance.result().orElseThrow().json(), 16);
  }

  private List<String> logLines(Instance instance) {
    return logPage(instance.id()).lines().stream().map(LogPage.LogLine::text).toList();
  }

  private LogPage logPage(InstanceId id) {
    return app.getInstanceLogs().logs(new GetInstanceLogsQuery(id, 0, 1000));
  }

  /** No pod toolrun made, nor any ConfigMap, holds the secret value, in spec or status. */
  private void assertNoSecretInPods(String what) {
    var admin = cluster.admin();
    var pods =
        admin
            .pods()
            .inNamespace(cluster.namespace())
            .withLabels(WorkloadLabels.SELECTOR)
            .list()
            .getItems();
    assertThat(pods).as(what).isNotEmpty();
    assertThat(Serialization.asYaml(pods)).as(what).doesNotContain(SECRET);
    assertThat(
            Serialization.asYaml(admin.batch().v1().jobs().inNamespace(cluster.namespace()).list()))
        .doesNotContain(SECRET);
    assertThat(Serialization.asYaml(admin.configMaps().inNamespace(cluster.namespace()).list()))
        .doesNotContain(SECRET);
  }
}
