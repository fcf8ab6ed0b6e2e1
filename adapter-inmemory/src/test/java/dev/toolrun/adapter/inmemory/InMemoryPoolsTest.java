package dev.toolrun.adapter.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Parallelism;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.PoolStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The in-memory runtime's warm pools: claim, fallback, refill, a lost pod, versions, resizing. */
class InMemoryPoolsTest {
  private static final ToolName GREETER = new ToolName("greeter");
  private static final Duration STEP = Duration.ofMillis(200);
  private static final ToolSpec TASK = ToolSpec.task(ContainerImage.of("busybox:1")).build();

  private final Random random = new Random(7);
  private final Map<ToolName, Tool> latest = new ConcurrentHashMap<>();
  private final InMemoryWorkloadRuntime runtime =
      new InMemoryWorkloadRuntime(
          new InMemoryLogStore(),
          new InMemoryRuntimeConfig(STEP, ToolSpec.DEFAULT_TIMEOUT).withPools(Map.of(GREETER, 1)),
          Clock.systemUTC(),
          name -> Optional.ofNullable(latest.get(name)));

  InMemoryPoolsTest() {
    // Every report is taken, as by a listener whose records are always written.
    runtime.observe(progress -> {});
    latest.put(GREETER, tool(GREETER, 1, TASK));
  }

  @AfterEach
  void close() {
    runtime.close();
  }

  @Test
  void aLaunchTakesAReadyPodAndThePoolRefills() {
    awaitReady(1);

    assertThat(runtime.launch(launch(latest.get(GREETER)))).isEqualTo(WorkloadStart.WARM);

    assertThat(pool().ready()).isZero();
    assertThat(pool().starting()).isEqualTo(1);
    awaitReady(1);
    assertThat(pool().claimed()).isEqualTo(1);
  }

  @Test
  void aLaunchThatFindsThePoolEmptyStartsCold() {
    awaitReady(1);
    assertThat(runtime.wouldStartWarm(launch(latest.get(GREETER)))).isTrue();
    assertThat(runtime.launch(launch(latest.get(GREETER)))).isEqualTo(WorkloadStart.WARM);

    // The refill's pod is not ready before a step: the hint says cold, and counts nothing.
    assertThat(runtime.wouldStartWarm(launch(latest.get(GREETER)))).isFalse();
    assertThat(runtime.launch(launch(latest.get(GREETER)))).isEqualTo(WorkloadStart.COLD);

    assertThat(pool().misses()).isEqualTo(1);
    assertThat(pool().hitRatio()).isEqualTo(0.5);
  }

  @Test
  void aRunThatTakesItsSecretsByReferenceStartsColdAndLeavesTheReadyPod() {
    Tool withSecret =
        tool(
            GREETER, 2, ToolSpec.task(ContainerImage.of("busybox:1")).secretInput("TOKEN").build());
    latest.put(GREETER, withSecret);
    runtime.resizePool(GREETER, 1);
    awaitReady(1);
    Instance instance =
        Instance.launch(
            InstanceId.generate(Instant.now(), random),
            withSecret,
            Parameters.NONE,
            Set.of("TOKEN"),
            Optional.of(new SecretReference("greeter-token")),
            Optional.empty(),
            Instant.now());

    assertThat(runtime.wouldStartWarm(new Launch(instance, withSecret, SecretValues.NONE)))
        .isFalse();
    assertThat(runtime.launch(new Launch(instance, withSecret, SecretValues.NONE)))
        .isEqualTo(WorkloadStart.COLD);

    assertThat(pool().ready()).isEqualTo(1);
    assertThat(pool().claimed()).isZero();
  }

  @Test
  void aDeadOrStalePodIsReplaced() {
    awaitReady(1);

    assertThat(runtime.losePoolPod(GREETER)).isTrue();

    assertThat(pool().ready()).isZero();
    awaitReady(1);
  }

  @Test
  void onlyOnePodTasksOfTheLatestVersionArePooled() {
    awaitReady(1);
    Tool first = latest.get(GREETER);
    latest.put(GREETER, tool(GREETER, 2, TASK));

    assertThat(runtime.launch(launch(first))).isEqualTo(WorkloadStart.COLD);
    ToolName other = new ToolName("unpooled");
    latest.put(other, tool(other, 1, TASK));
    assertThat(runtime.launch(launch(latest.get(other)))).isEqualTo(WorkloadStart.COLD);
    ToolName parallel = new ToolName("parallel");
    runtime.resizePool(parallel, 1);
    latest.put(
        parallel,
        tool(
            parallel,
            1,
            ToolSpec.task(ContainerImage.of("busybox:1"))
                .parallelism(new Parallelism(2, 2))
                .build()));
    awaitReady(parallel, 1);
    assertThat(runtime.launch(launch(latest.get(parallel)))).isEqualTo(WorkloadStart.COLD);

    assertThat(runtime.launch(launch(latest.get(GREETER)))).isEqualTo(WorkloadStart.WARM);
  }

  @Test
  void aNewSizeTakesEffectAtOnce() {
    awaitReady(1);

    runtime.resizePool(GREETER, 3);
    awaitReady(3);
    runtime.resizePool(GREETER, 0);

    assertThat(runtime.pools()).isEmpty();
  }

  private PoolStatus pool() {
    return runtime.pools().stream().filter(p -> p.tool().equals(GREETER)).findFirst().orElseThrow();
  }

  private void awaitReady(int ready) {
    awaitReady(GREETER, ready);
  }

  private void awaitReady(ToolName tool, int ready) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                runtime.pools().stream()
                    .anyMatch(p -> p.tool().equals(tool) && p.ready() == ready));
  }

  private static Tool tool(ToolName name, int version, ToolSpec spec) {
    return new Tool(name, version, "a tool", spec, Instant.EPOCH);
  }

  private Launch launch(Tool tool) {
    Instance instance =
        Instance.launch(
            InstanceId.generate(Instant.now(), random),
            tool,
            Parameters.NONE,
            Set.of(),
            Optional.empty(),
            Instant.now());
    return new Launch(instance, tool, SecretValues.NONE);
  }
}
