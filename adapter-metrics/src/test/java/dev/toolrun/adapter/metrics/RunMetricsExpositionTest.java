package dev.toolrun.adapter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryAdapter;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryStorageConfig;
import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.Toolrun;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.CancelInstanceUseCase.CancelInstanceCommand;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import dev.toolrun.ports.in.ResizePoolUseCase.ResizePoolCommand;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real core over the in-memory adapter, told to the metrics adapter: what Prometheus would
 * scrape after runs that succeed, fail and are cancelled while they wait.
 */
class RunMetricsExpositionTest {
  private final MetricsAdapter metrics = MetricsAdapter.create(MetricsConfig.DEFAULT);
  private final InMemoryAdapter adapter =
      InMemoryAdapter.builder()
          .runtimeConfig(new InMemoryRuntimeConfig(Duration.ofMillis(50), Duration.ofMinutes(5)))
          .build();
  private final Toolrun toolrun =
      Toolrun.builder()
          .tools(adapter.tools())
          .instances(adapter.instances())
          .logs(adapter.logs())
          .runtime(adapter.runtime())
          .capacity(new Capacity(1, 1))
          .metrics(metrics.runMetrics())
          .build();

  @AfterEach
  void close() {
    toolrun.close();
    adapter.close();
  }

  @Test
  void runsByToolStateAndFailureKindWithTheirPhases() {
    toolrun.start();
    register("fine");
    register("broken");
    adapter.runtime().script(new ToolName("broken"), Scenario.fail(3, List.of("oops")));

    InstanceId fine = launch("fine");
    InstanceId broken = launch("broken");
    InstanceId waiting = launch("fine");
    toolrun.cancelInstance().cancel(new CancelInstanceCommand(waiting));
    await().atMost(Duration.ofSeconds(10)).until(() -> ended(fine) && ended(broken));
    System.gc();

    String scrape = metrics.scrape();
    assertThat(scrape)
        .contains("toolrun_runs_launched_total{mode=\"task\",tool=\"fine\"} 2.0")
        .contains("toolrun_runs_launched_total{mode=\"task\",tool=\"broken\"} 1.0")
        .contains("toolrun_runs_started_total{start=\"cold\",tool=\"fine\"} 1.0")
        .contains(
            "toolrun_runs_ended_total{failure=\"none\",mode=\"task\",state=\"succeeded\",tool=\"fine\"}"
                + " 1.0")
        .contains(
            "toolrun_runs_ended_total{failure=\"exited_non_zero\",mode=\"task\",state=\"failed\",tool=\"broken\"}"
                + " 1.0")
        .contains(
            "toolrun_runs_ended_total{failure=\"cancelled\",mode=\"task\",state=\"cancelled\",tool=\"fine\"}"
                + " 1.0")
        // Two ran; all three ended and were stored.
        .contains("toolrun_run_phase_seconds_count{mode=\"task\",phase=\"waiting_for_capacity\"} 2")
        .contains("toolrun_run_phase_seconds_count{mode=\"task\",phase=\"created_to_running\"} 2")
        .contains("toolrun_run_phase_seconds_count{mode=\"task\",phase=\"running_to_ended\"} 2")
        .contains("toolrun_run_phase_seconds_count{mode=\"task\",phase=\"end_to_record_stored\"} 3")
        .contains(
            "toolrun_run_phase_seconds_bucket{mode=\"task\",phase=\"running_to_ended\",le=\"+Inf\"}"
                + " 2")
        // Gauges read the live queue, and survive a collection.
        .contains("toolrun_instances_active{mode=\"task\"} 0.0")
        .contains("toolrun_instances_pending{mode=\"task\"} 0.0")
        .contains("toolrun_admission_queue_length 0.0")
        .doesNotContain(fine.toString());
  }

  @Test
  void theLinesARunsLogDroppedAreCountedByToolWhenItEnds() {
    // A registry of its own: this test's core would otherwise meet the gauges of the field's.
    MetricsAdapter own = MetricsAdapter.create(MetricsConfig.DEFAULT);
    try (InMemoryAdapter small =
            InMemoryAdapter.builder()
                .runtimeConfig(
                    new InMemoryRuntimeConfig(Duration.ofMillis(10), Duration.ofMinutes(5)))
                .storageConfig(new InMemoryStorageConfig(3, 1000))
                .build();
        Toolrun core =
            Toolrun.builder()
                .tools(small.tools())
                .instances(small.instances())
                .logs(small.logs())
                .runtime(small.runtime())
                .metrics(own.runMetrics())
                .build()) {
      core.start();
      register(core, "chatty");
      register(core, "quiet");
      // 10 lines into a log that keeps 3: 7 dropped, twice; 2 lines are all kept.
      List<String> ten = IntStream.range(0, 10).mapToObj(i -> "line " + i).toList();
      small.runtime().script(new ToolName("chatty"), Scenario.succeed(ten, "{}"));
      small.runtime().script(new ToolName("quiet"), Scenario.succeed(List.of("a", "b"), "{}"));
      List<InstanceId> runs =
          List.of(launch(core, "chatty"), launch(core, "chatty"), launch(core, "quiet"));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> runs.stream().allMatch(id -> ended(core, id)));

      assertThat(own.scrape())
          .contains("toolrun_log_lines_dropped_total{mode=\"task\",tool=\"chatty\"} 14.0")
          .doesNotContain("toolrun_log_lines_dropped_total{mode=\"task\",tool=\"quiet\"}");
    }
  }

  @Test
  void theQueueIsSeenWhileItIsLong() {
    toolrun.start();
    register("slow");
    adapter.runtime().script(new ToolName("slow"), Scenario.neverFinish());
    launch("slow");
    launch("slow");
    launch("slow");

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(metrics.scrape())
                    .contains("toolrun_instances_active{mode=\"task\"} 1.0")
                    .contains("toolrun_instances_pending{mode=\"task\"} 2.0")
                    .contains("toolrun_admission_queue_length 2.0"));
  }

  @Test
  void aPoolResizedWhileToolrunRunsIsMeasuredWithItsHits() {
    toolrun.start();
    register("greeter");

    toolrun.resizePool().resize(new ResizePoolCommand(new ToolName("greeter"), 2));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(metrics.scrape())
                    .contains("toolrun_pool_size{tool=\"greeter\"} 2.0")
                    .contains("toolrun_pool_ready{tool=\"greeter\"} 2.0")
                    .contains("toolrun_pool_starting{tool=\"greeter\"} 0.0"));
    InstanceId warm = launch("greeter");
    await().atMost(Duration.ofSeconds(10)).until(() -> ended(warm));
    assertThat(metrics.scrape())
        .contains("toolrun_runs_started_total{start=\"warm\",tool=\"greeter\"} 1.0");

    toolrun.resizePool().resize(new ResizePoolCommand(new ToolName("greeter"), 0));

    assertThat(metrics.scrape()).contains("toolrun_pool_size{tool=\"greeter\"} 0.0");
  }

  @Test
  void disabledItMeasuresNothing() {
    MetricsAdapter off = MetricsAdapter.create(new MetricsConfig(false));

    assertThat(off.enabled()).isFalse();
    assertThat(off.scrape()).isEmpty();
    assertThat(off.runMetrics()).isSameAs(dev.toolrun.ports.out.RunMetrics.NONE);
  }

  private static InstanceId launch(Toolrun core, String tool) {
    return core.launchInstance()
        .launch(
            new LaunchInstanceCommand(
                new ToolName(tool),
                Optional.empty(),
                Parameters.NONE,
                SecretValues.NONE,
                Optional.empty()))
        .view()
        .instance()
        .id();
  }

  private static boolean ended(Toolrun core, InstanceId id) {
    return core.getInstance().get(new GetInstanceQuery(id)).instance().isTerminal();
  }

  private void register(String name) {
    register(toolrun, name);
  }

  private static void register(Toolrun core, String name) {
    core.registerTool()
        .register(
            new RegisterToolCommand(
                new ToolName(name), name, ToolSpec.task(ContainerImage.of("busybox:1")).build()));
  }

  private InstanceId launch(String tool) {
    return launch(toolrun, tool);
  }

  private boolean ended(InstanceId id) {
    return ended(toolrun, id);
  }
}
