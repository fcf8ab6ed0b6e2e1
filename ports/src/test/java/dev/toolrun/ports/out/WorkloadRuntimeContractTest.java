package dev.toolrun.ports.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.await;

import dev.toolrun.domain.error.UpstreamFailedException;
import dev.toolrun.domain.instance.FailureKind;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.LogPage.LogLine;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link WorkloadRuntime} must do with task and service workloads; each adapter runs it
 * with tools that behave as asked on its own technology.
 */
public abstract class WorkloadRuntimeContractTest {
  private static final AtomicInteger NAMES = new AtomicInteger();

  protected final RecordingProgress progress = new RecordingProgress();
  private WorkloadRuntime runtime;

  /**
   * A running runtime that already {@linkplain WorkloadRuntime#observe observes} for {@code
   * listener} and keeps logs in {@link #logs()}.
   */
  protected abstract WorkloadRuntime startRuntime(RecordRunProgressUseCase listener);

  /** Stops what {@link #startRuntime} started. */
  protected abstract void stopRuntime(WorkloadRuntime runtime);

  /** The log store the runtime writes to. */
  protected abstract LogStore logs();

  /** A task that prints {@code hello} and produces {@code resultJson} as its result. */
  protected abstract ToolSpec succeedingTask(String resultJson);

  /** A task that prints {@code failing} and exits with {@code exitCode}. */
  protected abstract ToolSpec failingTask(int exitCode);

  /** A task that never ends by itself, with a timeout of a few seconds. */
  protected abstract ToolSpec endlessTaskWithShortTimeout();

  /** A task whose image cannot be pulled. */
  protected abstract ToolSpec unpullableTask();

  /**
   * A service listening on {@link #SERVICE_PORT} that answers {@code GET /health} with 200 and
   * echoes the body of {@code POST /echo} back, with status 200.
   */
  protected abstract ToolSpec echoService();

  /** The port {@link #echoService()} listens on. */
  protected static final int SERVICE_PORT = 8080;

  /** How long a workload may take to get from launch to its end here. */
  protected Duration patience() {
    return Duration.ofSeconds(10);
  }

  @BeforeEach
  void start() {
    runtime = startRuntime(progress);
  }

  @AfterEach
  void stop() {
    stopRuntime(runtime);
  }

  protected Launch launch(ToolSpec spec) {
    Tool tool =
        Tool.first(
            new ToolName("contract-" + NAMES.incrementAndGet()),
            "contract test tool",
            spec,
            Instant.now());
    Instance instance =
        ContractFixtures.instance(tool, Instant.now())
            .transitionTo(InstanceState.CREATING, Instant.now());
    return new Launch(instance, tool, SecretValues.NONE);
  }

  private RunProgress awaitEnd(Launch launch) {
    await().atMost(patience()).until(() -> progress.terminal(launch.instance().id()).isPresent());
    return progress.terminal(launch.instance().id()).orElseThrow();
  }

  @Test
  void describesItself() {
    RuntimeCapabilities capabilities = runtime.capabilities();

    assertThat(capabilities.name()).isNotBlank();
    assertThat(capabilities.protocols()).isNotNull();
  }

  @Test
  void aSucceedingTaskReportsItsResultAndKeepsItsLog() {
    Launch launch = launch(succeedingTask("{\"answer\":42}"));

    // No warm pool is kept for a tool of the contract's: its run starts cold.
    assertThat(runtime.launch(launch)).isEqualTo(dev.toolrun.domain.instance.WorkloadStart.COLD);
    RunProgress end = awaitEnd(launch);

    assertThat(end.observed()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(end.exitCode()).contains(0);
    assertThat(end.result()).contains(new ToolResult("{\"answer\":42}"));
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(logs().read(launch.instance().id(), 0, 100).lines())
                    .extracting(LogLine::text)
                    .contains("hello"));
  }

  @Test
  void itKnowsWhichInstancesHaveAWorkload() {
    Launch launch = launch(succeedingTask("{}"));

    runtime.launch(launch);

    await().atMost(patience()).until(() -> runtime.hasWorkload(launch.instance().id()));
    assertThat(runtime.hasWorkload(launch(succeedingTask("{}")).instance().id())).isFalse();
  }

  @Test
  void aFailingTaskReportsItsExitCode() {
    Launch launch = launch(failingTask(3));

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);

    assertThat(end.observed()).isEqualTo(InstanceState.FAILED);
    assertThat(end.failure()).contains(new FailureReason.ExitedNonZero(3));
    assertThat(end.exitCode()).contains(3);
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(logs().read(launch.instance().id(), 0, 100).lines())
                    .extracting(LogLine::text)
                    .contains("failing"));
  }

  @Test
  void aTaskPastItsTimeoutTimesOut() {
    Launch launch = launch(endlessTaskWithShortTimeout());

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);

    assertThat(end.observed()).isEqualTo(InstanceState.TIMED_OUT);
    assertThat(end.failure()).map(FailureReason::kind).contains(FailureKind.DEADLINE_EXCEEDED);
  }

  @Test
  void anImageThatCannotBePulledFailsWithThatReason() {
    Launch launch = launch(unpullableTask());

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);

    assertThat(end.observed()).isEqualTo(InstanceState.FAILED);
    assertThat(end.failure()).map(FailureReason::kind).contains(FailureKind.IMAGE_PULL_FAILED);
  }

  @Test
  void launchingTheSameInstanceTwiceRunsItOnce() {
    Launch launch = launch(succeedingTask("{}"));

    runtime.launch(launch);
    runtime.launch(launch);
    awaitEnd(launch);

    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThat(logs().read(launch.instance().id(), 0, 100).lines())
                    .extracting(LogLine::text)
                    .containsOnlyOnce("hello"));
  }

  @Test
  void terminatingIsIdempotentAndHarmlessForUnknownInstances() {
    Launch launch = launch(endlessTaskWithShortTimeout());
    runtime.launch(launch);

    assertThatCode(
            () -> {
              runtime.terminate(launch.instance().id());
              runtime.terminate(launch.instance().id());
              runtime.terminate(launch(succeedingTask("{}")).instance().id());
            })
        .doesNotThrowAnyException();
  }

  private ServiceResponse send(Launch launch, ServiceRequest request) {
    return runtime
        .send(launch.instance().id(), SERVICE_PORT, request, Duration.ofSeconds(5))
        .toCompletableFuture()
        .join();
  }

  @Test
  void aServiceRunsAndAnswersRequestsUntilItIsTerminated() {
    Launch launch = launch(echoService());

    runtime.launch(launch);
    await()
        .atMost(patience())
        .until(
            () ->
                progress.of(launch.instance().id()).stream()
                    .anyMatch(p -> p.observed() == InstanceState.RUNNING));
    await()
        .atMost(patience())
        .ignoreExceptions()
        .until(() -> send(launch, ServiceRequest.get("/health")).isSuccessful());
    ServiceResponse echoed =
        send(
            launch,
            new ServiceRequest(
                "POST",
                "/echo",
                Map.of("content-type", List.of("text/plain")),
                "ping".getBytes(StandardCharsets.UTF_8)));

    assertThat(echoed.status()).isEqualTo(200);
    assertThat(new String(echoed.body(), StandardCharsets.UTF_8)).contains("ping");
    assertThat(progress.terminal(launch.instance().id()))
        .as("a service does not end by itself")
        .isEmpty();

    runtime.terminate(launch.instance().id());
    await()
        .atMost(patience())
        .untilAsserted(
            () ->
                assertThatCode(() -> send(launch, ServiceRequest.get("/health")))
                    .isInstanceOf(CompletionException.class)
                    .hasCauseInstanceOf(UpstreamFailedException.class));
  }

  @Test
  void aRequestToAnInstanceWithoutAWorkloadFailsAsUndeliverable() {
    Launch never = launch(echoService());

    assertThatCode(() -> send(never, ServiceRequest.get("/health")))
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(UpstreamFailedException.class);
  }
}
