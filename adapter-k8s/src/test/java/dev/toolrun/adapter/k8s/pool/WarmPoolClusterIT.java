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

  /** How many launches of each kind the concurrent figure sends at once. */
  private static final int CONCURRENT = Integer.getInteger("toolrun.it.pool-concurrent", 10);

  /** The warm pool's size while the sequential figure runs: each launch finds a ready pod. */
  private static final int SEQUENTIAL_POOL = 2;

  /** The warm pool's size when the concurrent launches arrive: the rest start cold. */
  private static final int CONCURRENT_POOL =
      Integer.getInteger("toolrun.it.pool-concurrent-size", 5);

  /**
   * toolrun's client-side limit on its API requests, per second (the burst 1.5 times it), or the
   * configuration's default (20, burst 30) when unset: to see a burst's figures without it.
   */
  private static final Integer API_QPS = Integer.getInteger("toolrun.it.api-qps");

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
          "ended = time.time()",
          "open(os.environ['TOOLRUN_RESULT_FILE'], 'w').write(json.dumps({'greeting': 'hello ' +"
              + " params['name'], 'instance': os.environ['TOOLRUN_INSTANCE_ID'], 'started':"
              + " started, 'ended': ended}))",
          "");

  private static final String FAILER = "print('about to fail')\nraise SystemExit(3)\n";

  private CountedToolrun toolrun;
  private LocalCluster cluster;
  private Toolrun app;

  @BeforeEach
  void start() {
    toolrun =
        CountedToolrun.start(
            config -> {
              var builder =
                  config.toBuilder()
                      .pools(Map.of("greeter", 1, "failer", 1, "sleeper", 1, "hog", 1));
              if (API_QPS != null) {
                builder.rateLimit(
                    new dev.toolrun.adapter.k8s.ApiRateLimit(API_QPS, API_QPS * 3 / 2));
              }
              return builder.build();
            });
    cluster = toolrun.cluster;
    app = toolrun.app;
    ToolSpec greeter =
        ToolSpec.task(Script.of(ScriptLanguage.PYTHON, GREETER))
            .secretInput("TOKEN")
            // 100 launches at once on one node can wait minutes for their pods: a timeout that
            // ends them would leave nothing to measure (the 2026-12-03 pass lost 135 of 200).
            .timeout(Duration.ofSeconds(CONCURRENT > 0 ? 600 : 60))
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
   * The tool is the runner's child, not the container's first process: a cancel deletes the pod,
   * the kubelet sends its TERM to the runner, and the runner passes it on to the tool, which (with
   * TERM's default disposition, as Python has it) ends at once, with 128 + 15 as the container's
   * exit code; as PID 1 the same tool would ignore it and be killed at the end of the grace period
   * (137).
   */
  @Test
  void aWarmRunCancelledMidWayEndsCancelledAndItsPodGoes() {
    register(
        "sleeper",
        ToolSpec.task(
                Script.of(
                    ScriptLanguage.PYTHON,
                    "import time\nprint('sleeping', flush=True)\ntime.sleep(600)\n"))
            .build());
    awaitReady("sleeper");
    InstanceId id = launch("sleeper", null);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                instance(id).state() == dev.toolrun.domain.instance.InstanceState.RUNNING
                    && logPage(id).lines().stream().anyMatch(l -> l.text().equals("sleeping")));
    assertThat(instance(id).start()).contains(WorkloadStart.WARM);
    String pod =
        cluster
            .admin()
            .pods()
            .inNamespace(cluster.namespace())
            .withLabel(WorkloadLabels.INSTANCE, id.value())
            .list()
            .getItems()
            .get(0)
            .getMetadata()
            .getName();
    List<Integer> exitCodes = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean gone =
        new java.util.concurrent.atomic.AtomicBoolean();
    try (var watch =
        cluster
            .admin()
            .pods()
            .inNamespace(cluster.namespace())
            .withName(pod)
            .watch(
                new io.fabric8.kubernetes.client.Watcher<io.fabric8.kubernetes.api.model.Pod>() {
                  @Override
                  public void eventReceived(
                      Action action, io.fabric8.kubernetes.api.model.Pod seen) {
                    if (action == Action.DELETED) {
                      gone.set(true);
                    }
                    Optional.ofNullable(seen.getStatus().getContainerStatuses()).stream()
                        .flatMap(List::stream)
                        .filter(c -> c.getState() != null && c.getState().getTerminated() != null)
                        .forEach(c -> exitCodes.add(c.getState().getTerminated().getExitCode()));
                  }

                  @Override
                  public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {}
                })) {
      Instant cancelled = Instant.now();
      app.cancelInstance()
          .cancel(new dev.toolrun.ports.in.CancelInstanceUseCase.CancelInstanceCommand(id));

      await()
          .atMost(PATIENCE)
          .until(() -> instance(id).state() == dev.toolrun.domain.instance.InstanceState.CANCELLED);
      await().atMost(Duration.ofMinutes(3)).until(gone::get);
      System.out.printf(
          "cancelled warm run: pod gone %d ms after the cancel, exit codes seen %s%n",
          Duration.between(cancelled, Instant.now()).toMillis(), exitCodes);
      assertThat(exitCodes).as("the tool got the TERM, not the KILL").contains(128 + 15);
      assertThat(exitCodes).doesNotContain(128 + 9);
    }
  }

  @Test
  void aRunWhoseSecretsComeByReferenceStartsColdAndLeavesThePoolItsPod() {
    awaitReady("greeter");
    long claimedBefore = pool("greeter").claimed();
    cluster
        .admin()
        .secrets()
        .inNamespace(cluster.namespace())
        .resource(
            new io.fabric8.kubernetes.api.model.SecretBuilder()
                .withNewMetadata()
                .withName("greeter-token")
                .endMetadata()
                .withStringData(Map.of("TOKEN", SECRET))
                .build())
        .create();

    InstanceId id =
        app.launchInstance()
            .launch(
                new LaunchInstanceCommand(
                    new ToolName("greeter"),
                    Optional.empty(),
                    new Parameters(Map.of("name", "Ada")),
                    SecretValues.NONE,
                    Optional.of(new dev.toolrun.domain.instance.SecretReference("greeter-token")),
                    Optional.empty()))
            .view()
            .instance()
            .id();
    await().atMost(PATIENCE).until(() -> instance(id).isTerminal());
    await().atMost(PATIENCE).until(() -> logPage(id).complete());
    Instance ended = instance(id);

    assertThat(ended.start()).contains(WorkloadStart.COLD);
    assertThat(ended.exitCode()).contains(0);
    assertThat(logLines(ended)).contains("token length " + SECRET.length());
    assertThat(pool("greeter").claimed()).isEqualTo(claimedBefore);
    assertThat(pool("greeter").ready()).isGreaterThanOrEqualTo(1);
    assertNoSecretInPods("the cold run by reference and the waiting pool pods");
  }

  @Test
  void aPoolGrowsAndShrinksByConfigurationWithoutARestart() {
    awaitReady("greeter");
    assertThat(resize("greeter", 3).size()).isEqualTo(3);
    await()
        .atMost(PATIENCE)
        .until(() -> waitingPods("greeter") == 3 && pool("greeter").ready() == 3);

    assertThat(resize("greeter", 1).size()).isEqualTo(1);
    await().atMost(PATIENCE).until(() -> waitingPods("greeter") == 1);
    // The one kept is a ready one: the next launch is still a hit.
    assertThat(pool("greeter").ready()).isEqualTo(1);
    assertThat(runToEnd("greeter", "Ada").start()).contains(WorkloadStart.WARM);

    resize("greeter", 0);
    await().atMost(PATIENCE).until(() -> waitingPods("greeter") == 0);
    assertThat(app.describeRuntime().describe().pools())
        .noneMatch(p -> p.tool().value().equals("greeter"));
    assertThat(runToEnd("greeter", "Ada").start()).contains(WorkloadStart.COLD);
  }

  private PoolStatus resize(String tool, int size) {
    return app.resizePool()
        .resize(
            new dev.toolrun.ports.in.ResizePoolUseCase.ResizePoolCommand(new ToolName(tool), size));
  }

  /** The pods of {@code tool}'s pool that wait (not being deleted), as the cluster has them. */
  private long waitingPods(String tool) {
    return cluster
        .admin()
        .pods()
        .inNamespace(cluster.namespace())
        .withLabel(WorkloadLabels.POOL, WorkloadLabels.POOL_WAITING)
        .withLabel(WorkloadLabels.TOOL, tool)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .count();
  }

  /**
   * docs/benchmarks.md, figure 15, in one run: launch to the tool's first instruction and to
   * SUCCEEDED, warm against cold against a bare Job applied with kubectl, one after another ({@link
   * #SAMPLES} of each) and all at once ({@link #CONCURRENT} of each, the pool holding {@link
   * #CONCURRENT_POOL}); with the pod-proxy floor, and where a run's end goes (the tool's last
   * instruction → the kubelet's report seen by a watch → SUCCEEDED recorded).
   */
  private void measure() throws Exception {
    try (WarmPoolBench bench = new WarmPoolBench(cluster)) {
      bench.startFloor();
      resize("greeter", SEQUENTIAL_POOL);
      Series warm = new Series();
      Series cold = new Series();
      Series bare = new Series();
      List<Long> floor = new ArrayList<>();
      List<Long> endReported = new ArrayList<>();
      List<Long> endRecorded = new ArrayList<>();
      String loadBefore = load();
      if (SAMPLES > 0) {
        for (int i = 0; i < SAMPLES; i++) {
          awaitReady("greeter");
          floor.add(bench.floorMillis());
          Instance w = runToEnd("greeter", "w" + i);
          assertThat(w.start()).contains(WorkloadStart.WARM);
          warm.add(w);
          endOf(bench, w, endReported, endRecorded);
          Instance c = runToEnd("greeter-cold", "c" + i);
          cold.add(c);
          endOf(bench, c, endReported, endRecorded);
          WarmPoolBench.BareRun b = bench.applyBareJobs(List.of("bare-s" + i)).get(0);
          bare.add(b.firstInstructionMillis(), b.completeMillis());
        }
        String mode = "sequential n=" + SAMPLES + " load=\"" + loadBefore + " / " + load() + "\"";
        report(mode, warm, cold, bare, floor);
        System.out.printf(
            "RESULT pool.end_observed %s tool_end_to_kubelet_report_seen=%s"
                + " report_seen_to_succeeded_recorded=%s%n",
            mode, stats(endReported), stats(endRecorded));
        assertThat(warm.firstMedian())
            .as("warm p50 against cold p50")
            .isLessThan(cold.firstMedian());
      }
      if (CONCURRENT == 0) {
        return;
      }

      resize("greeter", CONCURRENT_POOL);
      await().atMost(Duration.ofMinutes(3)).until(() -> pool("greeter").ready() >= CONCURRENT_POOL);
      String concurrentLoad = load();
      long floorNow = bench.floorMillis();
      Series warmAll = new Series();
      Series coldAll = new Series();
      Series bareAll = new Series();
      long warmWall = launchAll(bench, "greeter", warmAll);
      long coldWall = launchAll(bench, "greeter-cold", coldAll);
      Instant applied = Instant.now();
      List<WarmPoolBench.BareRun> bares =
          bench.applyBareJobs(
              java.util.stream.IntStream.range(0, CONCURRENT).mapToObj(i -> "bare-c" + i).toList());
      long bareWall =
          bares.stream()
              .mapToLong(b -> Duration.between(applied, b.complete()).toMillis())
              .max()
              .orElse(0);
      bares.forEach(b -> bareAll.add(b.firstInstructionMillis(), b.completeMillis()));
      String mode =
          "concurrent n=%d pool=%d warm_hits=%d load=\"%s / %s\""
              .formatted(CONCURRENT, CONCURRENT_POOL, warmAll.hits, concurrentLoad, load());
      report(mode, warmAll, coldAll, bareAll, List.of(floorNow));
      System.out.printf(
          "RESULT pool.concurrent_warm_split %s hits_first_instruction=%s"
              + " misses_first_instruction=%s hits_succeeded=%s misses_succeeded=%s%n",
          mode,
          stats(warmAll.hitFirst),
          stats(warmAll.missFirst),
          stats(warmAll.hitDone),
          stats(warmAll.missDone));
      System.out.printf(
          "RESULT pool.concurrent_wall %s warm_ms=%d cold_ms=%d kubectl_ms=%d"
              + " warm_not_succeeded=%d cold_not_succeeded=%d%n",
          mode, warmWall, coldWall, bareWall, warmAll.failed, coldAll.failed);
      System.out.printf(
          "RESULT pool.end_observed %s warm_tool_end_to_kubelet_report_seen=%s"
              + " warm_report_seen_to_succeeded_recorded=%s cold_tool_end_to_kubelet_report_seen=%s"
              + " cold_report_seen_to_succeeded_recorded=%s%n",
          mode,
          stats(warmAll.endReported),
          stats(warmAll.endRecorded),
          stats(coldAll.endReported),
          stats(coldAll.endRecorded));
    }
  }

  /** Launches {@link #CONCURRENT} runs of {@code tool} at once and waits for them all. */
  private long launchAll(WarmPoolBench bench, String tool, Series into) throws Exception {
    var threads = java.util.concurrent.Executors.newFixedThreadPool(CONCURRENT);
    try {
      var gate = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<InstanceId>> launched = new ArrayList<>();
      for (int i = 0; i < CONCURRENT; i++) {
        String name = tool + i;
        launched.add(
            threads.submit(
                () -> {
                  gate.await();
                  return launch(tool, name);
                }));
      }
      Instant first = Instant.now();
      gate.countDown();
      List<InstanceId> ids = new ArrayList<>();
      for (var f : launched) {
        ids.add(f.get());
      }
      await()
          .atMost(Duration.ofMinutes(12))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> ids.stream().allMatch(id -> instance(id).isTerminal()));
      Instant last = Instant.EPOCH;
      for (InstanceId id : ids) {
        Instance done = instance(id);
        if (done.state() != dev.toolrun.domain.instance.InstanceState.SUCCEEDED) {
          // On a loaded node a cold run can wait past its 60 s timeout: counted, not measured.
          into.failed++;
          continue;
        }
        into.add(done);
        endOf(bench, done, into.endReported, into.endRecorded);
        last = done.updatedAt().isAfter(last) ? done.updatedAt() : last;
      }
      return Duration.between(first, last).toMillis();
    } finally {
      threads.shutdownNow();
    }
  }

  private void endOf(WarmPoolBench bench, Instance run, List<Long> reported, List<Long> recorded) {
    Instant ended = seconds(result(run).get("ended"));
    Instant succeeded = succeededAt(run);
    bench
        .endSeen(run.id().value())
        .ifPresent(
            seen -> {
              reported.add(Duration.between(ended, seen).toMillis());
              recorded.add(Duration.between(seen, succeeded).toMillis());
            });
  }

  private void report(String mode, Series warm, Series cold, Series bare, List<Long> floor) {
    long floorMedian = median(floor);
    System.out.printf(
        "RESULT pool.launch_to_first_instruction %s warm=%s cold=%s kubectl=%s proxy_floor=%s"
            + " warm_over_floor_p50=%.2f cold_over_warm_p50=%.1f kubectl_over_warm_p50=%.1f%n",
        mode,
        stats(warm.first),
        stats(cold.first),
        stats(bare.first),
        stats(floor),
        (double) warm.firstMedian() / Math.max(1, floorMedian),
        (double) cold.firstMedian() / Math.max(1, warm.firstMedian()),
        (double) bare.firstMedian() / Math.max(1, warm.firstMedian()));
    System.out.printf(
        "RESULT pool.launch_to_succeeded %s warm=%s cold=%s kubectl=%s"
            + " cold_over_warm_p50=%.1f kubectl_over_warm_p50=%.1f%n",
        mode,
        stats(warm.done),
        stats(cold.done),
        stats(bare.done),
        (double) median(cold.done) / Math.max(1, median(warm.done)),
        (double) median(bare.done) / Math.max(1, median(warm.done)));
  }

  /** Launch → first instruction and launch → SUCCEEDED of a series of runs, in milliseconds. */
  private final class Series {
    final List<Long> first = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Long> done = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Long> hitFirst = new ArrayList<>();
    final List<Long> hitDone = new ArrayList<>();
    final List<Long> missFirst = new ArrayList<>();
    final List<Long> missDone = new ArrayList<>();
    final List<Long> endReported = new ArrayList<>();
    final List<Long> endRecorded = new ArrayList<>();
    int hits;
    int failed;

    void add(Instance run) {
      long firstMillis = firstInstructionMillis(run);
      long doneMillis = succeededMillis(run);
      if (run.start().equals(Optional.of(WorkloadStart.WARM))) {
        hits++;
        hitFirst.add(firstMillis);
        hitDone.add(doneMillis);
      } else {
        missFirst.add(firstMillis);
        missDone.add(doneMillis);
      }
      add(firstMillis, doneMillis);
    }

    void add(long firstMillis, long doneMillis) {
      first.add(firstMillis);
      done.add(doneMillis);
    }

    long firstMedian() {
      return median(first);
    }
  }

  private static String load() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException e) {
      return "?";
    }
  }

  private static Instant seconds(Object value) {
    return Instant.ofEpochMilli((long) (((Number) value).doubleValue() * 1000));
  }

  private static Instant succeededAt(Instance instance) {
    return instance
        .enteredAt(dev.toolrun.domain.instance.InstanceState.SUCCEEDED)
        .orElse(instance.updatedAt());
  }

  private static long succeededMillis(Instance instance) {
    return Duration.between(instance.createdAt(), succeededAt(instance)).toMillis();
  }

  /** min/p50/p99/max in milliseconds (p99: the value 99% of the samples do not exceed). */
  private static String stats(List<Long> values) {
    if (values.isEmpty()) {
      return "-";
    }
    List<Long> sorted = values.stream().sorted().toList();
    int p99 = Math.max(0, (int) Math.ceil(sorted.size() * 0.99) - 1);
    return "%d/%d/%d/%d"
        .formatted(sorted.get(0), median(values), sorted.get(p99), sorted.get(sorted.size() - 1));
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

  private Instance instance(InstanceId id) {
    return app.getInstance().get(new GetInstanceQuery(id)).instance();
  }

  private InstanceId launch(String tool, String name) {
    boolean greets = name != null;
    return app.launchInstance()
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
  }

  private Instance runToEnd(String tool, String name) {
    InstanceId id = launch(tool, name);
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
