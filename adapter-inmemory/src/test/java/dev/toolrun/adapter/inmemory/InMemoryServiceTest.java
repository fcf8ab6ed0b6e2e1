package dev.toolrun.adapter.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.domain.error.RequestTimeoutException;
import dev.toolrun.domain.error.UpstreamFailedException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.domain.tool.UnhealthyAction;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.LogPage.LogLine;
import dev.toolrun.ports.out.RecordingProgress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Service workloads in the in-memory runtime: how they answer, time out, die and come back. */
class InMemoryServiceTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final int PORT = 8080;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final ContainerImage IMAGE = ContainerImage.of("registry.example/web:1");
  private static final Random RANDOM = new Random(5);

  private final InMemoryLogStore logs = new InMemoryLogStore();
  private final RecordingProgress progress = new RecordingProgress();
  private InMemoryWorkloadRuntime runtime = startedRuntime(InMemoryRuntimeConfig.instant());

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  private InMemoryWorkloadRuntime startedRuntime(InMemoryRuntimeConfig config) {
    InMemoryWorkloadRuntime started = new InMemoryWorkloadRuntime(logs, config, Clock.systemUTC());
    started.observe(progress);
    return started;
  }

  private static ToolSpec service(ServiceSettings settings) {
    return ToolSpec.service(IMAGE, settings).build();
  }

  private static Launch launch(String toolName, ToolSpec spec) {
    Tool tool = Tool.first(new ToolName(toolName), "a service", spec, Instant.now());
    Instance instance =
        Instance.launch(
                InstanceId.generate(Instant.now(), RANDOM),
                tool,
                Parameters.NONE,
                SecretValues.NONE.names(),
                Optional.empty(),
                Instant.now())
            .transitionTo(InstanceState.CREATING, Instant.now());
    return new Launch(instance, tool, SecretValues.NONE);
  }

  /** Launches {@code spec} as the tool {@code toolName} and waits until its workload runs. */
  private InstanceId running(String toolName, ToolSpec spec) {
    Launch launch = launch(toolName, spec);
    runtime.launch(launch);
    InstanceId id = launch.instance().id();
    await().atMost(PATIENCE).until(() -> runningReports(id) == 1);
    return id;
  }

  private long runningReports(InstanceId id) {
    return progress.of(id).stream().filter(p -> p.observed() == InstanceState.RUNNING).count();
  }

  private CompletableFuture<ServiceResponse> send(InstanceId id, ServiceRequest request) {
    return runtime.send(id, PORT, request, TIMEOUT).toCompletableFuture();
  }

  private static String text(ServiceResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /** What the stage failed with, once it has. */
  private static Throwable failureOf(CompletableFuture<?> stage) {
    await().atMost(PATIENCE).until(stage::isDone);
    assertThat(stage).isCompletedExceptionally();
    return stage
        .handle(
            (ok, failure) -> failure instanceof CompletionException ? failure.getCause() : failure)
        .join();
  }

  @Test
  void anUnscriptedServiceIsHealthyAndEchoesEveryOtherRequestAsJson() {
    InstanceId id = running("web", service(ServiceSettings.http(PORT)));

    ServiceResponse health = send(id, ServiceRequest.get("/health")).join();
    ServiceResponse echo =
        send(
                id,
                new ServiceRequest(
                    "POST",
                    "/things?colour=blue",
                    Map.of("Content-Type", List.of("text/plain"), "X-Trace", List.of("a", "b")),
                    "héllo".getBytes(StandardCharsets.UTF_8)))
            .join();

    assertThat(health.status()).isEqualTo(200);
    assertThat(text(health)).isEqualTo("{\"status\":\"UP\"}");
    assertThat(health.headers()).containsEntry("server", List.of("toolrun in-memory runtime"));
    assertThat(echo.status()).isEqualTo(200);
    assertThat(echo.headers())
        .containsEntry("content-type", List.of("application/json"))
        .containsEntry("server", List.of("toolrun in-memory runtime"));
    assertThat(text(echo))
        .isEqualTo(
            "{\"runtime\":\"in-memory\",\"note\":\"nothing is executed: the in-memory runtime"
                + " echoes the request it was sent\",\"instance\":\""
                + id.value()
                + "\",\"workload\":1,"
                + "\"method\":\"POST\",\"path\":\"/things?colour=blue\","
                + "\"headers\":{\"content-type\":[\"text/plain\"],\"x-trace\":[\"a\",\"b\"]},"
                + "\"body\":\"héllo\"}");
  }

  @Test
  void aBodyThatIsNotUtf8IsEchoedAsBase64() {
    InstanceId id = running("web", service(ServiceSettings.http(PORT)));

    ServiceResponse echo =
        send(id, new ServiceRequest("PUT", "/blob", Map.of(), new byte[] {(byte) 0xff, 0x00, 0x41}))
            .join();

    assertThat(text(echo)).contains("\"bodyBase64\":\"/wBB\"").doesNotContain("\"body\":");
  }

  @Test
  void aHeadRequestIsAnsweredWithHeadersOnly() {
    InstanceId id = running("web", service(ServiceSettings.http(PORT)));

    ServiceResponse head =
        send(id, new ServiceRequest("HEAD", "/page", Map.of(), new byte[0])).join();

    assertThat(head.status()).isEqualTo(200);
    assertThat(head.headers()).containsEntry("content-type", List.of("application/json"));
    assertThat(head.body()).isEmpty();
  }

  @Test
  void theHealthCheckIsAGetOfTheToolsOwnHealthPath() {
    ServiceSettings ready =
        new ServiceSettings(
            PORT,
            Protocol.HTTP,
            "/ready",
            Duration.ofSeconds(1),
            3,
            10,
            Duration.ofSeconds(5),
            Duration.ofMinutes(1),
            UnhealthyAction.RESTART,
            3,
            false);
    InstanceId id = running("ready", service(ready));

    assertThat(text(send(id, ServiceRequest.get("/ready?verbose=1")).join()))
        .isEqualTo("{\"status\":\"UP\"}");
    assertThat(text(send(id, ServiceRequest.get("/health")).join()))
        .contains("\"path\":\"/health\"");
    assertThat(text(send(id, new ServiceRequest("POST", "/ready", Map.of(), new byte[0])).join()))
        .contains("\"method\":\"POST\"");
  }

  @Test
  void aBehaviourScriptedForTheToolWinsOverOneScriptedForItsWorkload() {
    runtime.script(
        IMAGE,
        call -> CompletableFuture.completedFuture(ServiceBehaviour.json(200, "\"by workload\"")));
    runtime.script(
        new ToolName("chosen"),
        call -> CompletableFuture.completedFuture(ServiceBehaviour.json(201, "\"by tool\"")));
    InstanceId byTool = running("chosen", service(ServiceSettings.http(PORT)));
    InstanceId byWorkload = running("other", service(ServiceSettings.http(PORT)));

    assertThat(text(send(byTool, ServiceRequest.get("/")).join())).isEqualTo("\"by tool\"");
    assertThat(text(send(byWorkload, ServiceRequest.get("/")).join())).isEqualTo("\"by workload\"");
  }

  @Test
  void aScriptedServiceCanTurnUnhealthy() {
    AtomicBoolean healthy = new AtomicBoolean(true);
    runtime.script(
        new ToolName("moody"), ServiceBehaviour.echo().withHealth(call -> healthy.get()));
    InstanceId id = running("moody", service(ServiceSettings.http(PORT)));

    assertThat(send(id, ServiceRequest.get("/health")).join().status()).isEqualTo(200);
    healthy.set(false);
    ServiceResponse down = send(id, ServiceRequest.get("/health")).join();

    assertThat(down.status()).isEqualTo(503);
    assertThat(text(down)).isEqualTo("{\"status\":\"DOWN\"}");
    assertThat(send(id, ServiceRequest.get("/work")).join().status())
        .as("other requests")
        .isEqualTo(200);
  }

  @Test
  void aRequestNoAnswerCameForInTimeTimesOutWithoutBlockingTheSender() {
    runtime.script(new ToolName("mute"), ServiceBehaviour.silent());
    InstanceId id = running("mute", service(ServiceSettings.http(PORT)));

    long sentAt = System.nanoTime();
    CompletableFuture<ServiceResponse> answer =
        runtime
            .send(id, PORT, ServiceRequest.get("/slow"), Duration.ofMillis(200))
            .toCompletableFuture();
    assertThat(answer).as("right after sending").isNotDone();

    assertThat(failureOf(answer))
        .isInstanceOf(RequestTimeoutException.class)
        .hasMessageContaining("did not answer within 200 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - sentAt))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
  }

  @Test
  void aDelayedAnswerComesAfterItsDelayOrNotAtAllWhenTheTimeoutIsShorter() {
    runtime.script(new ToolName("slow"), ServiceBehaviour.echo().delayedBy(Duration.ofMillis(300)));
    InstanceId id = running("slow", service(ServiceSettings.http(PORT)));

    long sentAt = System.nanoTime();
    CompletableFuture<ServiceResponse> inTime = send(id, ServiceRequest.get("/a"));
    CompletableFuture<ServiceResponse> late =
        runtime
            .send(id, PORT, ServiceRequest.get("/b"), Duration.ofMillis(50))
            .toCompletableFuture();

    assertThat(inTime.join().status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - sentAt))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    assertThat(failureOf(late)).isInstanceOf(RequestTimeoutException.class);
  }

  @Test
  void aBehaviourThatFailsMakesTheRequestUndeliverable() {
    runtime.script(
        new ToolName("broken"),
        call -> {
          if (call.request().path().equals("/throw")) {
            throw new IllegalStateException("the handler threw");
          }
          return CompletableFuture.failedFuture(new IllegalStateException("the handler failed"));
        });
    InstanceId id = running("broken", service(ServiceSettings.http(PORT)));

    assertThat(failureOf(send(id, ServiceRequest.get("/throw"))))
        .isInstanceOf(UpstreamFailedException.class)
        .hasMessageContaining("the handler threw");
    assertThat(failureOf(send(id, ServiceRequest.get("/fail"))))
        .isInstanceOf(UpstreamFailedException.class)
        .hasMessageContaining("the handler failed");
  }

  @Test
  void aServiceTakesNoRequestBeforeItRuns() {
    runtime.close();
    runtime = startedRuntime(new InMemoryRuntimeConfig(Duration.ofMinutes(1), Duration.ofHours(1)));
    Launch launch = launch("sleepy", service(ServiceSettings.http(PORT)));
    runtime.launch(launch);

    assertThat(failureOf(send(launch.instance().id(), ServiceRequest.get("/health"))))
        .isInstanceOf(UpstreamFailedException.class)
        .hasMessageContaining("has not started yet");
  }

  @Test
  void nothingListensOnAnotherPort() {
    InstanceId id = running("web", service(ServiceSettings.http(PORT)));

    CompletableFuture<ServiceResponse> elsewhere =
        runtime.send(id, 9090, ServiceRequest.get("/health"), TIMEOUT).toCompletableFuture();

    assertThat(failureOf(elsewhere))
        .isInstanceOf(UpstreamFailedException.class)
        .hasMessageContaining("listens on port 8080, not 9090");
  }

  @Test
  void aTaskTakesNoRequests() {
    runtime.script(new ToolName("job"), Scenario.neverFinish());
    Launch task = launch("job", ToolSpec.task(IMAGE).build());
    runtime.launch(task);

    assertThat(failureOf(send(task.instance().id(), ServiceRequest.get("/health"))))
        .isInstanceOf(UpstreamFailedException.class)
        .hasMessageContaining("task");
  }

  @Test
  void aKilledServiceResetsItsRequestsAndRefusesNewOnesUntilARestartReplacesIt() {
    HoldingService holding = new HoldingService();
    runtime.script(new ToolName("fragile"), holding);
    InstanceId id = running("fragile", service(ServiceSettings.http(PORT)));
    CompletableFuture<ServiceResponse> inFlight = send(id, ServiceRequest.get("/work"));
    holding.awaitHolding(1);

    runtime.kill(id);

    assertThat(failureOf(inFlight))
        .isInstanceOf(UpstreamFailedException.class)
        .hasMessageContaining("reset");
    assertThat(failureOf(send(id, ServiceRequest.get("/health"))))
        .isInstanceOf(UpstreamFailedException.class)
        .hasMessageContaining("died");
    assertThat(progress.of(id))
        .extracting(RunProgress::observed)
        .containsExactly(InstanceState.RUNNING);

    runtime.restart(id);

    await().atMost(PATIENCE).until(() -> runningReports(id) == 2);
    assertThat(send(id, ServiceRequest.get("/health")).join().status()).isEqualTo(200);
    assertThat(progress.of(id))
        .extracting(RunProgress::observed)
        .containsOnly(InstanceState.RUNNING);
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThat(logs.read(id, 0, 10).lines())
                    .extracting(LogLine::text)
                    .contains(
                        "[in-memory runtime] restarted as workload 2: running container image"
                            + " registry.example/web:1 as a service (port 8080)"));
  }

  @Test
  void aRestartResetsTheRequestsInFlightAndTheNewWorkloadAnswers() {
    HoldingService holding = new HoldingService();
    runtime.script(new ToolName("web"), holding);
    InstanceId id = running("web", service(ServiceSettings.http(PORT)));
    CompletableFuture<ServiceResponse> inFlight = send(id, ServiceRequest.get("/old"));
    holding.awaitHolding(1);

    runtime.restart(id);

    assertThat(failureOf(inFlight))
        .isInstanceOf(UpstreamFailedException.class)
        .hasMessageContaining("restarted");
    await().atMost(PATIENCE).until(() -> runningReports(id) == 2);
    CompletableFuture<ServiceResponse> fresh = send(id, ServiceRequest.get("/new"));
    holding.awaitHolding(2);
    holding.answerAll();
    assertThat(text(fresh.join())).contains("\"workload\":2");
  }

  @Test
  void restartingAnUnknownATerminatedOrATaskInstanceIsHarmless() {
    InstanceId stopped = running("web", service(ServiceSettings.http(PORT)));
    runtime.terminate(stopped);
    runtime.script(new ToolName("job"), Scenario.neverFinish());
    Launch task = launch("job", ToolSpec.task(IMAGE).build());
    runtime.launch(task);

    runtime.restart(stopped);
    runtime.restart(task.instance().id());
    runtime.restart(launch("never", service(ServiceSettings.http(PORT))).instance().id());

    await()
        .during(Duration.ofMillis(200))
        .atMost(PATIENCE)
        .until(() -> runningReports(stopped) == 1 && runningReports(task.instance().id()) <= 1);
    assertThat(failureOf(send(stopped, ServiceRequest.get("/health"))))
        .isInstanceOf(UpstreamFailedException.class);
  }

  @Test
  void onlyAServiceCanBeKilled() {
    Launch never = launch("never", service(ServiceSettings.http(PORT)));

    assertThatThrownBy(() -> runtime.kill(never.instance().id()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no service workload");
  }

  @Test
  void terminatingAServiceResetsItsRequestsAndCompletesItsLog() {
    runtime.script(new ToolName("mute"), ServiceBehaviour.silent());
    InstanceId id = running("mute", service(ServiceSettings.http(PORT)));
    CompletableFuture<ServiceResponse> inFlight = send(id, ServiceRequest.get("/work"));

    runtime.terminate(id);

    assertThat(failureOf(inFlight))
        .isInstanceOf(UpstreamFailedException.class)
        .hasMessageContaining("removed");
    assertThat(failureOf(send(id, ServiceRequest.get("/health"))))
        .isInstanceOf(UpstreamFailedException.class);
    assertThat(logs.read(id, 0, 10).complete()).isTrue();
  }

  @Test
  void closingTheRuntimeFailsTheRequestsInFlight() {
    runtime.script(new ToolName("mute"), ServiceBehaviour.silent());
    InstanceId id = running("mute", service(ServiceSettings.http(PORT)));
    CompletableFuture<ServiceResponse> inFlight = send(id, ServiceRequest.get("/work"));

    runtime.close();

    assertThat(failureOf(inFlight)).isInstanceOf(UpstreamFailedException.class);
    assertThat(failureOf(send(id, ServiceRequest.get("/health"))))
        .isInstanceOf(UpstreamFailedException.class);
  }
}
