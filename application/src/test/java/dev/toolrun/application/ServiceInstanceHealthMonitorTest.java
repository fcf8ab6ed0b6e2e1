package dev.toolrun.application;

import static dev.toolrun.application.InMemoryToolrun.failureOf;
import static dev.toolrun.application.InMemoryToolrun.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.HoldingService;
import dev.toolrun.adapter.inmemory.ServiceBehaviour;
import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.error.UpstreamFailedException;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.instance.StateChange;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.UnhealthyAction;
import dev.toolrun.ports.out.InstanceRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Health checks of service instances, and what becomes of one that fails them or dies. */
class ServiceInstanceHealthMonitorTest {
  private InMemoryToolrun toolrun = new InMemoryToolrun(Capacity.DEFAULT);
  // The first workload of an instance turns unhealthy when this is set; its replacements never do.
  private final AtomicBoolean firstWorkloadSick = new AtomicBoolean();
  private final ServiceBehaviour sickUntilRestarted =
      ServiceBehaviour.echo().withHealth(call -> call.workload() > 1 || !firstWorkloadSick.get());

  @AfterEach
  void close() {
    toolrun.close();
  }

  private InstanceId serving(FastServiceSettings settings, ServiceBehaviour behaviour) {
    toolrun.registeredService("web", settings.build());
    toolrun.runtime.script(new ToolName("web"), behaviour);
    InstanceId id = toolrun.launched("web");
    toolrun.awaitState(id, InstanceState.SERVING);
    return id;
  }

  private Instance awaitEnd(InstanceId id) {
    await()
        .atMost(InMemoryToolrun.PATIENCE)
        .pollInterval(InMemoryToolrun.POLL)
        .until(() -> toolrun.instance(id).isTerminal());
    return toolrun.instance(id);
  }

  private Instance awaitServingAfterRestart(InstanceId id, int restarts) {
    await()
        .atMost(InMemoryToolrun.PATIENCE)
        .pollInterval(InMemoryToolrun.POLL)
        .until(() -> isServingAfter(toolrun.instance(id), restarts));
    return toolrun.instance(id);
  }

  private static boolean isServingAfter(Instance instance, int restarts) {
    return instance.restarts() == restarts && instance.state() == InstanceState.SERVING;
  }

  private static AtomicInteger checksOf(Map<Integer, AtomicInteger> checks, int workload) {
    return checks.computeIfAbsent(workload, w -> new AtomicInteger());
  }

  private static List<InstanceState> states(Instance instance) {
    return instance.history().stream().map(StateChange::state).toList();
  }

  private void assertWorkloadRemoved(InstanceId id) {
    toolrun.awaitCompleteLog(id);
    assertThat(
            failureOf(
                toolrun
                    .runtime
                    .send(
                        id,
                        FastServiceSettings.PORT,
                        ServiceRequest.get("/health"),
                        Duration.ofSeconds(5))
                    .toCompletableFuture()))
        .isInstanceOf(UpstreamFailedException.class);
  }

  @Test
  void anUnhealthyServiceIsRestartedAndServesAgainWithFreshHealth() {
    InstanceId id = serving(FastServiceSettings.settings().failureThreshold(2), sickUntilRestarted);

    firstWorkloadSick.set(true);
    Instance restarted = awaitServingAfterRestart(id, 1);

    assertThat(states(restarted))
        .endsWith(
            InstanceState.SERVING,
            InstanceState.STARTING,
            InstanceState.RUNNING,
            InstanceState.SERVING);
    Instant restartedAt = restarted.enteredAt(InstanceState.STARTING).orElseThrow();
    assertThat(restarted.health().consecutiveFailures()).isZero();
    assertThat(restarted.health().lastError()).isEmpty();
    assertThat(restarted.health().lastHealthyAt())
        .hasValueSatisfying(at -> assertThat(at).isAfterOrEqualTo(restartedAt));
    assertThat(text(toolrun.send(id, "/who").join())).contains("\"workload\":2");
  }

  @Test
  void aServiceThatKeepsTurningUnhealthyIsRestartedUpToItsLimitThenFails() {
    // Every workload passes its first check, then fails the rest.
    Map<Integer, AtomicInteger> checksByWorkload = new ConcurrentHashMap<>();
    ServiceBehaviour relapsing =
        ServiceBehaviour.echo()
            .withHealth(call -> checksOf(checksByWorkload, call.workload()).incrementAndGet() == 1);
    InstanceId id =
        serving(FastServiceSettings.settings().failureThreshold(2).maxRestarts(2), relapsing);

    Instance failed = awaitEnd(id);

    assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
    assertThat(failed.restarts()).isEqualTo(2);
    assertThat(failed.failure())
        .contains(new FailureReason.HealthCheckFailed(2, "the health check answered HTTP 503"));
    assertThat(states(failed)).filteredOn(s -> s == InstanceState.SERVING).hasSize(3);
    assertThat(states(failed)).endsWith(InstanceState.SERVING, InstanceState.FAILED);
    assertWorkloadRemoved(id);
  }

  @Test
  void anUnhealthyServiceWhoseToolSaysFailFailsAtOnce() {
    InstanceId id =
        serving(
            FastServiceSettings.settings().failureThreshold(2).onUnhealthy(UnhealthyAction.FAIL),
            sickUntilRestarted);

    firstWorkloadSick.set(true);
    Instance failed = awaitEnd(id);

    assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
    assertThat(failed.restarts()).isZero();
    assertThat(failed.failure())
        .contains(new FailureReason.HealthCheckFailed(2, "the health check answered HTTP 503"));
    assertThat(failed.failure().orElseThrow().message())
        .contains("failed 2 health checks in a row");
    assertWorkloadRemoved(id);
    assertThatThrownBy(() -> toolrun.stop(id))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessageContaining("from FAILED to STOPPING");
  }

  @Test
  void requestsToAServiceWhoseProcessDiedFailAsUndeliverable() {
    // So many failures allowed that the instance stays SERVING throughout.
    InstanceId id =
        serving(FastServiceSettings.settings().failureThreshold(100), ServiceBehaviour.echo());

    toolrun.runtime.kill(id);

    assertThat(failureOf(toolrun.send(id, "/work")))
        .isInstanceOf(UpstreamFailedException.class)
        .hasMessageContaining("died");
    await()
        .atMost(InMemoryToolrun.PATIENCE)
        .pollInterval(InMemoryToolrun.POLL)
        .untilAsserted(
            () ->
                assertThat(toolrun.instance(id).health().lastError())
                    .hasValueSatisfying(e -> assertThat(e).contains("died")));
    assertThat(toolrun.instance(id).state()).isEqualTo(InstanceState.SERVING);
    toolrun.stop(id);
    toolrun.awaitState(id, InstanceState.STOPPED);
  }

  @Test
  void aServiceWhoseProcessDiedIsRestartedLikeAnUnhealthyOne() {
    InstanceId id =
        serving(FastServiceSettings.settings().failureThreshold(2), ServiceBehaviour.echo());

    toolrun.runtime.kill(id);
    Instance restarted = awaitServingAfterRestart(id, 1);

    assertThat(restarted.health().consecutiveFailures()).isZero();
    assertThat(text(toolrun.send(id, "/who").join())).contains("\"workload\":2");
  }

  @Test
  void aServiceWhoseProcessDiedFailsWhenItsToolSaysFail() {
    InstanceId id =
        serving(
            FastServiceSettings.settings().failureThreshold(2).onUnhealthy(UnhealthyAction.FAIL),
            ServiceBehaviour.echo());

    toolrun.runtime.kill(id);
    Instance failed = awaitEnd(id);

    assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
    assertThat(failed.failure()).hasValueSatisfying(f -> assertThat(f.message()).contains("died"));
    assertWorkloadRemoved(id);
  }

  @Test
  void aServiceThatNeverPassesAHealthCheckFailsAfterItsStartTimeout() {
    toolrun.registeredService(
        "never-ready", FastServiceSettings.settings().startTimeout(Duration.ofSeconds(1)).build());
    toolrun.runtime.script(
        new ToolName("never-ready"), ServiceBehaviour.echo().withHealth(call -> false));
    long launchedAt = System.nanoTime();
    InstanceId id = toolrun.launched("never-ready");

    Instance failed = awaitEnd(id);

    assertThat(Duration.ofNanos(System.nanoTime() - launchedAt))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(failed.state()).isEqualTo(InstanceState.FAILED);
    assertThat(states(failed))
        .doesNotContain(InstanceState.SERVING)
        .endsWith(InstanceState.RUNNING, InstanceState.FAILED);
    assertThat(failed.failure())
        .hasValueSatisfying(f -> assertThat(f).isInstanceOf(FailureReason.HealthCheckFailed.class));
    assertThat(failed.failure().orElseThrow().message())
        .contains("never passed a health check within 1 s of starting")
        .contains("the health check answered HTTP 503");
    assertWorkloadRemoved(id);
  }

  @Test
  void aRestartTheRuntimeCannotTakeAtFirstIsAskedForAgain() {
    AtomicInteger restartCalls = new AtomicInteger();
    toolrun.close();
    toolrun =
        new InMemoryToolrun(
            Capacity.DEFAULT,
            runtime ->
                new DelegatingRuntime(runtime) {
                  @Override
                  public void restart(InstanceId id) {
                    if (restartCalls.incrementAndGet() == 1) {
                      throw new RuntimeUnavailableException("the API server is restarting", null);
                    }
                    super.restart(id);
                  }
                });
    // Far longer than the test waits: without a second restart the instance would sit in STARTING.
    InstanceId id =
        serving(
            FastServiceSettings.settings().startTimeout(Duration.ofMinutes(5)), sickUntilRestarted);

    firstWorkloadSick.set(true);
    Instance restarted = awaitServingAfterRestart(id, 1);

    assertThat(restartCalls).hasValue(2);
    assertThat(text(toolrun.send(restarted.id(), "/who").join())).contains("\"workload\":2");
  }

  @Test
  void healthChecksGoOnAfterTheRecordsWereBrieflyUnreadable() {
    FlakyRecords records = new FlakyRecords();
    toolrun.close();
    toolrun = new InMemoryToolrun(Capacity.DEFAULT, UnaryOperator.identity(), records::wrapping);
    InstanceId id =
        serving(
            FastServiceSettings.settings().failureThreshold(2).onUnhealthy(UnhealthyAction.FAIL),
            sickUntilRestarted);

    records.away.set(true);
    await()
        .atMost(InMemoryToolrun.PATIENCE)
        .pollInterval(InMemoryToolrun.POLL)
        .until(() -> records.refused.get() >= 1);
    records.away.set(false);
    firstWorkloadSick.set(true);

    assertThat(awaitEnd(id).failure())
        .contains(new FailureReason.HealthCheckFailed(2, "the health check answered HTTP 503"));
  }

  @ParameterizedTest
  @EnumSource(UnhealthyAction.class)
  void aServiceStoppedJustAsItTurnsUnhealthyStillDrainsItsRequests(UnhealthyAction onUnhealthy) {
    HoldingService holding = new HoldingService();
    AtomicBoolean sick = new AtomicBoolean();
    AtomicReference<InstanceId> stopped = new AtomicReference<>();
    toolrun.close();
    toolrun =
        new InMemoryToolrun(
            Capacity.DEFAULT,
            UnaryOperator.identity(),
            records ->
                new StopWhenUnhealthy(
                    records, 2, id -> stopped.compareAndSet(null, id) && toolrun.stop(id) != null));
    InstanceId id =
        serving(
            FastServiceSettings.settings().failureThreshold(2).onUnhealthy(onUnhealthy),
            holding.withHealth(call -> !sick.get()));
    CompletableFuture<ServiceResponse> inFlight = toolrun.send(id, "/long");
    holding.awaitHolding(1);

    // The stop lands between recording the second failed check and acting on it.
    sick.set(true);
    await()
        .atMost(InMemoryToolrun.PATIENCE)
        .pollInterval(InMemoryToolrun.POLL)
        .until(() -> stopped.get() != null);
    assertThat(toolrun.instance(id).state()).isEqualTo(InstanceState.STOPPING);
    holding.answerAll();

    assertThat(inFlight.join().status()).as("the request in flight was not cut off").isEqualTo(200);
    Instance end = awaitEnd(id);
    assertThat(end.state()).isEqualTo(InstanceState.STOPPED);
    assertThat(end.restarts()).isZero();
  }

  /**
   * Instance records that run {@code action} once, right after storing the failed health check that
   * makes a serving instance unhealthy, on the thread that stored it.
   */
  private static final class StopWhenUnhealthy extends ForwardingInstanceRepository {
    private final int threshold;
    private final Predicate<InstanceId> action;
    private final AtomicBoolean done = new AtomicBoolean();

    StopWhenUnhealthy(InstanceRepository records, int threshold, Predicate<InstanceId> action) {
      super(records);
      this.threshold = threshold;
      this.action = action;
    }

    @Override
    public Instance update(InstanceId id, UnaryOperator<Instance> change) {
      Instance after = super.update(id, change);
      if (after.state() == InstanceState.SERVING
          && after.health().consecutiveFailures() >= threshold
          && done.compareAndSet(false, true)) {
        action.test(id);
      }
      return after;
    }
  }

  /** Instance records that cannot be read while {@link #away} is set, as a store that is down. */
  private static final class FlakyRecords {
    final AtomicBoolean away = new AtomicBoolean();
    final AtomicInteger refused = new AtomicInteger();

    InstanceRepository wrapping(InstanceRepository records) {
      return new ForwardingInstanceRepository(records) {
        @Override
        public Optional<Instance> find(InstanceId id) {
          if (away.get()) {
            refused.incrementAndGet();
            throw new RuntimeUnavailableException("the instance store is away", null);
          }
          return super.find(id);
        }
      };
    }
  }
}
