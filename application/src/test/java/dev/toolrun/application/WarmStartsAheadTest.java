package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryInstanceRepository;
import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryToolRepository;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.out.ContractFixtures;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.PoolStatus;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While launches are being accepted, cold starts wait ({@link AcceptsFirst}) but a start the
 * runtime expects to hand to a ready pool pod goes at once: in a burst, the pool's hits are what
 * the pool is for.
 */
class WarmStartsAheadTest {
  /** Far beyond the test: a start that is held stays held while the test looks. */
  private static final Duration HOLD = Duration.ofMinutes(5);

  private final Clock clock = Clock.systemUTC();
  private final InMemoryToolRepository tools = new InMemoryToolRepository();
  private final InMemoryInstanceRepository instances = new InMemoryInstanceRepository();
  private final InMemoryWorkloadRuntime runtime =
      new InMemoryWorkloadRuntime(
          new InMemoryLogStore(),
          InMemoryRuntimeConfig.instant().withPools(Map.of(new ToolName("greeter"), 1)),
          clock,
          tools::latest);
  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
  private final InstanceStarter starter =
      new InstanceStarter(instances, runtime, new Admission(10, 10), executor, clock, HOLD);

  @AfterEach
  void stop() {
    executor.shutdownNow();
    runtime.close();
  }

  @Test
  void aPoolHitStartsWhileLaunchesAreBeingAcceptedAndAColdStartWaits() {
    Tool greeter = registered("greeter");
    Tool plain = registered("plain");
    // The runtime's progress is not followed here: the starter's own steps are what is looked at.
    runtime.observe(progress -> {});
    await().until(() -> ready("greeter") == 1);

    Launch cold;
    try (AcceptsFirst.Acceptance burst = starter.accepting()) {
      cold = submitted(plain);
      Launch warm = submitted(greeter);

      await().until(() -> state(warm) == InstanceState.STARTING);
      assertThat(instances.find(warm.instance().id()).orElseThrow().start())
          .contains(WorkloadStart.WARM);
      // Held until the burst's acceptances end, or the hold's end minutes away.
      assertThat(state(cold)).isEqualTo(InstanceState.PENDING);
    }

    await().until(() -> state(cold) == InstanceState.STARTING);
    assertThat(instances.find(cold.instance().id()).orElseThrow().start())
        .contains(WorkloadStart.COLD);
  }

  private Tool registered(String name) {
    Tool tool =
        Tool.first(
            new ToolName(name),
            "the " + name + " tool",
            InMemoryToolrun.BUSYBOX_TASK,
            clock.instant());
    tools.add(tool);
    return tool;
  }

  private Launch submitted(Tool tool) {
    Instance instance = ContractFixtures.instance(tool, clock.instant());
    instances.add(instance);
    Launch launch = new Launch(instance, tool, SecretValues.NONE);
    starter.submit(launch);
    return launch;
  }

  private InstanceState state(Launch launch) {
    return instances.find(launch.instance().id()).orElseThrow().state();
  }

  private int ready(String tool) {
    return runtime.pools().stream()
        .filter(p -> p.tool().value().equals(tool))
        .mapToInt(PoolStatus::ready)
        .sum();
  }
}
