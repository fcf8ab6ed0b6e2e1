package dev.toolrun.adapter.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.FailureKind;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Protocol;
import dev.toolrun.domain.tool.Script;
import dev.toolrun.domain.tool.ScriptLanguage;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogPage.LogLine;
import dev.toolrun.ports.out.RecordingProgress;
import dev.toolrun.ports.out.RuntimeCapabilities;
import dev.toolrun.ports.out.RuntimeCapabilities.Capability;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemoryWorkloadRuntimeBehaviourTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final ContainerImage BUSYBOX = ContainerImage.of("busybox:1");
  private static final Random RANDOM = new Random(3);

  private final InMemoryLogStore logs = new InMemoryLogStore();
  private final RecordingProgress progress = new RecordingProgress();
  private final InMemoryWorkloadRuntime runtime =
      new InMemoryWorkloadRuntime(
          logs, InMemoryRuntimeConfig.instant(), Clock.fixed(NOW, ZoneOffset.UTC));

  @AfterEach
  void closeRuntime() {
    runtime.close();
  }

  private static Launch launch(String toolName, ToolSpec spec) {
    return launch(toolName, spec, Parameters.NONE, SecretValues.NONE);
  }

  private static Launch launch(
      String toolName, ToolSpec spec, Parameters parameters, SecretValues secrets) {
    Tool tool = Tool.first(new ToolName(toolName), "a tool", spec, NOW);
    Instance instance =
        Instance.launch(
                InstanceId.generate(NOW, RANDOM),
                tool,
                parameters,
                secrets.names(),
                Optional.empty(),
                NOW)
            .transitionTo(InstanceState.CREATING, NOW);
    return new Launch(instance, tool, secrets);
  }

  /** A launch of {@code spec} whose secret inputs come from the Secret {@code secret}. */
  private static Launch launchWithSecretFrom(String toolName, ToolSpec spec, String secret) {
    Tool tool = Tool.first(new ToolName(toolName), "a tool", spec, NOW);
    Instance instance =
        Instance.launch(
                InstanceId.generate(NOW, RANDOM),
                tool,
                Parameters.NONE,
                spec.secretInputs(),
                Optional.of(new SecretReference(secret)),
                Optional.empty(),
                NOW)
            .transitionTo(InstanceState.CREATING, NOW);
    return new Launch(instance, tool, SecretValues.NONE);
  }

  private RunProgress awaitEnd(Launch launch) {
    InstanceId id = launch.instance().id();
    await().atMost(PATIENCE).until(() -> progress.terminal(id).isPresent());
    return progress.terminal(id).orElseThrow();
  }

  private LogPage awaitCompleteLog(Launch launch) {
    await().atMost(PATIENCE).until(() -> logs.read(launch.instance().id(), 0, 100).complete());
    return logs.read(launch.instance().id(), 0, 100);
  }

  private List<InstanceState> observedStates(Launch launch) {
    return progress.of(launch.instance().id()).stream().map(RunProgress::observed).toList();
  }

  private static List<String> texts(LogPage page) {
    return page.lines().stream().map(LogLine::text).toList();
  }

  @Test
  void describesItsCapabilities() {
    assertThat(runtime.capabilities())
        .isEqualTo(
            new RuntimeCapabilities(
                "in-memory",
                EnumSet.of(Capability.SCALING, Capability.HEALTH_CHECKS),
                Set.of(Protocol.HTTP)));
  }

  @Test
  void aSucceedingScenarioReachesRunningWritesItsLinesInOrderAndSucceeds() {
    runtime.observe(progress);
    runtime.script(
        new ToolName("greeter"), Scenario.succeed(List.of("one", "two", "three"), "{\"ok\":true}"));
    Launch launch = launch("greeter", ToolSpec.task(BUSYBOX).build());

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);

    assertThat(observedStates(launch))
        .containsExactly(InstanceState.RUNNING, InstanceState.SUCCEEDED);
    // The end says when its process started, as a cluster's does.
    assertThat(end)
        .isEqualTo(
            RunProgress.succeeded(
                    launch.instance().id(), Optional.of(new ToolResult("{\"ok\":true}")), NOW)
                .startedAt(Optional.of(NOW)));
    assertThat(texts(awaitCompleteLog(launch))).containsExactly("one", "two", "three");
  }

  @Test
  void aFailingScenarioWritesItsLinesAndExitsWithItsCode() {
    runtime.observe(progress);
    runtime.script(new ToolName("crasher"), Scenario.fail(2, List.of("Traceback", "ValueError")));
    Launch launch = launch("crasher", ToolSpec.task(BUSYBOX).build());

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);

    assertThat(observedStates(launch)).containsExactly(InstanceState.RUNNING, InstanceState.FAILED);
    assertThat(end.failure()).contains(new FailureReason.ExitedNonZero(2));
    assertThat(end.exitCode()).contains(2);
    assertThat(texts(awaitCompleteLog(launch))).containsExactly("Traceback", "ValueError");
  }

  @Test
  void anImageThatCannotBePulledFailsWithoutEverRunning() {
    runtime.observe(progress);
    ContainerImage missing = ContainerImage.of("registry.example/missing:1");
    runtime.script(missing, Scenario.failToPull());
    Launch launch = launch("puller", ToolSpec.task(missing).build());

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);

    assertThat(observedStates(launch)).containsExactly(InstanceState.FAILED);
    assertThat(end.failure()).containsInstanceOf(FailureReason.ImagePullFailed.class);
    assertThat(((FailureReason.ImagePullFailed) end.failure().orElseThrow()).image())
        .isEqualTo("registry.example/missing:1");
    assertThat(end.exitCode()).isEmpty();
  }

  @Test
  void aRunThatNeverFinishesTimesOutWhenItsTimeoutElapses() {
    runtime.observe(progress);
    runtime.script(new ToolName("endless"), Scenario.neverFinish());
    Launch launch =
        launch("endless", ToolSpec.task(BUSYBOX).timeout(Duration.ofSeconds(1)).build());

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);

    assertThat(observedStates(launch))
        .containsExactly(InstanceState.RUNNING, InstanceState.TIMED_OUT);
    assertThat(end.failure()).contains(new FailureReason.DeadlineExceeded(Duration.ofSeconds(1)));
    assertThat(end.exitCode()).isEmpty();
    assertThat(awaitCompleteLog(launch).complete()).isTrue();
  }

  @Test
  void aRunLongerThanItsTimeoutTimesOutInsteadOfSucceeding() {
    runtime.observe(progress);
    runtime.script(
        new ToolName("slow"),
        Scenario.succeedAfter(Duration.ofMinutes(5), List.of("working"), "{}"));
    Launch launch = launch("slow", ToolSpec.task(BUSYBOX).timeout(Duration.ofSeconds(1)).build());

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);

    assertThat(end.observed()).isEqualTo(InstanceState.TIMED_OUT);
    assertThat(texts(awaitCompleteLog(launch))).containsExactly("working");
  }

  @Test
  void aRunShorterThanItsTimeoutSucceedsAfterItsRunTime() {
    runtime.observe(progress);
    runtime.script(
        new ToolName("quick"),
        Scenario.succeedAfter(Duration.ofMillis(300), List.of(), "{\"n\":1}"));
    Launch launch = launch("quick", ToolSpec.task(BUSYBOX).timeout(Duration.ofSeconds(5)).build());

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);

    assertThat(end.observed()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(end.result()).contains(new ToolResult("{\"n\":1}"));
  }

  @Test
  void aTerminatedRunStopsAndReportsNothingMore() {
    runtime.observe(progress);
    runtime.script(
        new ToolName("long"),
        Scenario.succeedAfter(Duration.ofSeconds(1), List.of("started"), "{}"));
    Launch launch = launch("long", ToolSpec.task(BUSYBOX).build());
    InstanceId id = launch.instance().id();
    runtime.launch(launch);
    await().atMost(PATIENCE).until(() -> logs.read(id, 0, 10).lines().size() == 1);

    runtime.terminate(id);

    // Longer than the run would have taken: its end would have been reported by now.
    await()
        .during(Duration.ofMillis(1500))
        .atMost(PATIENCE)
        .until(() -> progress.terminal(id).isEmpty());
    assertThat(observedStates(launch)).containsExactly(InstanceState.RUNNING);
    assertThat(logs.read(id, 0, 10).complete()).isTrue();
  }

  @Test
  void aScenarioScriptedForTheToolWinsOverOneScriptedForItsWorkload() {
    runtime.observe(progress);
    runtime.script(BUSYBOX, Scenario.failToPull());
    runtime.script(new ToolName("chosen"), Scenario.succeed(List.of(), "{}"));
    Launch byTool = launch("chosen", ToolSpec.task(BUSYBOX).build());
    Launch byWorkload = launch("other", ToolSpec.task(BUSYBOX).build());

    runtime.launch(byTool);
    runtime.launch(byWorkload);

    assertThat(awaitEnd(byTool).observed()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(awaitEnd(byWorkload).failure().map(FailureReason::kind))
        .contains(FailureKind.IMAGE_PULL_FAILED);
  }

  @Test
  void anUnscriptedTaskSaysWhatItWouldRunAndEchoesItsParametersButNoSecretValue() {
    runtime.observe(progress);
    String secretValue = "hunter2-do-not-show";
    Script script = Script.of(ScriptLanguage.PYTHON, "print('hello, world')\n");
    Launch launch =
        launch(
            "summariser",
            ToolSpec.task(script).secretInput("API_TOKEN").build(),
            new Parameters(
                Map.of("text", "say \"hi\"", "count", 3, "options", Map.of("fast", true))),
            new SecretValues(Map.of("API_TOKEN", secretValue)));

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);
    List<String> lines = texts(awaitCompleteLog(launch));

    assertThat(lines)
        .containsExactly(
            "[in-memory runtime] running python script main.py (22 bytes)",
            "[in-memory runtime] nothing is executed: "
                + "this runtime only plays the instance's lifecycle",
            "[in-memory runtime] parameters: count, options, text",
            "[in-memory runtime] secret inputs: API_TOKEN (values are never shown)",
            "[in-memory runtime] done");
    assertThat(end.result().map(ToolResult::json))
        .contains(
            "{\"runtime\":\"in-memory\",\"tool\":\"summariser\",\"version\":1,"
                + "\"parameters\":{\"count\":3,\"options\":{\"fast\":true},"
                + "\"text\":\"say \\\"hi\\\"\"}}");
    assertThat(progress.of(launch.instance().id()))
        .allSatisfy(p -> assertThat(p.toString()).doesNotContain(secretValue));
    assertThat(lines).noneMatch(line -> line.contains(secretValue));
  }

  @Test
  void aRunWhoseSecretExistsWithEveryKeyRunsAndNamesTheSecretItTakesItsInputsFrom() {
    runtime.observe(progress);
    runtime.defineSecret("deployer-tokens", Set.of("API_TOKEN", "DB_PASSWORD", "UNUSED"));
    Launch launch =
        launchWithSecretFrom(
            "deployer",
            ToolSpec.task(BUSYBOX).secretInput("API_TOKEN").secretInput("DB_PASSWORD").build(),
            "deployer-tokens");

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);

    assertThat(end.observed()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(texts(awaitCompleteLog(launch)))
        .contains(
            "[in-memory runtime] secret inputs: API_TOKEN, DB_PASSWORD from Secret"
                + " deployer-tokens (values are never shown)");
  }

  @Test
  void aRunWhoseSecretIsMissingFailsBeforeItRunsNamingTheSecret() {
    runtime.observe(progress);
    Launch launch =
        launchWithSecretFrom(
            "deployer", ToolSpec.task(BUSYBOX).secretInput("API_TOKEN").build(), "no-such");

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);

    assertThat(observedStates(launch)).containsExactly(InstanceState.FAILED);
    assertThat(end.failure())
        .contains(
            new FailureReason.RuntimeError(
                "the container could not be created: secret \"no-such\" not found"));
  }

  @Test
  void aRunWhoseSecretLacksAKeyFailsNamingTheKeyAndTheSecret() {
    runtime.observe(progress);
    runtime.defineSecret("tokens", Set.of("API_TOKEN"));
    Launch launch =
        launchWithSecretFrom(
            "deployer",
            ToolSpec.task(BUSYBOX).secretInput("API_TOKEN").secretInput("DB_PASSWORD").build(),
            "tokens");

    runtime.launch(launch);
    RunProgress end = awaitEnd(launch);

    assertThat(end.failure())
        .contains(
            new FailureReason.RuntimeError(
                "the container could not be created: couldn't find key DB_PASSWORD in Secret"
                    + " tokens"));
  }

  @Test
  void anUnscriptedImageTaskNamesItsImageAndSaysWhenItHasNoParameters() {
    runtime.observe(progress);
    Launch launch = launch("plain", ToolSpec.task(BUSYBOX).build());

    runtime.launch(launch);
    awaitEnd(launch);

    assertThat(texts(awaitCompleteLog(launch)))
        .contains(
            "[in-memory runtime] running container image busybox:1",
            "[in-memory runtime] no parameters");
  }

  @Test
  void aServiceReachesRunningIgnoresTaskScenariosAndSaysTheRuntimeAnswersForIt() {
    runtime.observe(progress);
    runtime.script(new ToolName("web"), Scenario.failToPull());
    Launch launch = launch("web", ToolSpec.service(BUSYBOX, ServiceSettings.http(8080)).build());

    runtime.launch(launch);

    await()
        .atMost(PATIENCE)
        .until(() -> logs.read(launch.instance().id(), 0, 10).lines().size() == 2);
    assertThat(observedStates(launch)).containsExactly(InstanceState.RUNNING);
    assertThat(texts(logs.read(launch.instance().id(), 0, 10)))
        .containsExactly(
            "[in-memory runtime] running container image busybox:1 as a service (port 8080)",
            "[in-memory runtime] nothing is executed: the in-memory runtime answers the requests"
                + " sent to port 8080 until the service is stopped");
    assertThat(logs.read(launch.instance().id(), 0, 10).complete()).isFalse();
  }

  @Test
  void aListenerThatThrowsDoesNotStallTheRun() {
    AtomicBoolean thrown = new AtomicBoolean();
    runtime.observe(
        reported -> {
          if (reported.observed() == InstanceState.RUNNING && thrown.compareAndSet(false, true)) {
            throw new IllegalStateException("listener broke");
          }
          progress.record(reported);
        });
    runtime.script(new ToolName("sturdy"), Scenario.succeed(List.of("line"), "{}"));
    Launch launch = launch("sturdy", ToolSpec.task(BUSYBOX).build());

    runtime.launch(launch);

    assertThat(awaitEnd(launch).observed()).isEqualTo(InstanceState.SUCCEEDED);
    assertThat(thrown).isTrue();
  }

  @Test
  void launchingBeforeObservingOrObservingTwiceIsAMistake() {
    Launch launch = launch("early", ToolSpec.task(BUSYBOX).build());

    assertThatThrownBy(() -> runtime.launch(launch)).isInstanceOf(IllegalStateException.class);
    runtime.observe(progress);
    assertThatThrownBy(() -> runtime.observe(progress)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aClosedRuntimeIsUnavailable() {
    runtime.observe(progress);
    runtime.close();

    assertThatThrownBy(() -> runtime.launch(launch("late", ToolSpec.task(BUSYBOX).build())))
        .isInstanceOf(RuntimeUnavailableException.class);
  }

  @Test
  void launchingAFinishedRunAgainAdoptsItButATerminatedOneStartsAfresh() {
    runtime.observe(progress);
    runtime.script(new ToolName("again"), Scenario.succeed(List.of("hello"), "{}"));
    Launch finished = launch("again", ToolSpec.task(BUSYBOX).build());
    runtime.launch(finished);
    awaitEnd(finished);

    runtime.launch(finished);

    await()
        .during(Duration.ofMillis(500))
        .atMost(PATIENCE)
        .until(() -> observedStates(finished).size() == 2);

    runtime.terminate(finished.instance().id());
    logs.delete(finished.instance().id());
    runtime.launch(finished);

    await().atMost(PATIENCE).until(() -> observedStates(finished).size() == 4);
    assertThat(texts(awaitCompleteLog(finished))).containsExactly("hello");
  }
}
