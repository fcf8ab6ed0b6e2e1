package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryInstanceRepository;
import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryToolRepository;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import dev.toolrun.ports.in.RunProgress;
import dev.toolrun.ports.out.Page;
import dev.toolrun.ports.out.PageRequest;
import dev.toolrun.ports.out.ToolRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a freshly started toolrun makes of the records a previous process left: the records are
 * given, as a restart finds them in the cluster, and so is which workloads still exist.
 */
class RecoveryTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  /**
   * When the previous process recorded what it did: an hour ago, well within the retention the
   * restarted toolrun applies with the real clock (a fixed date would age past it one day).
   */
  private static final Instant EARLIER =
      Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));

  private final InMemoryToolRepository tools = new InMemoryToolRepository();
  private final InMemoryInstanceRepository instances = new InMemoryInstanceRepository();
  private final InMemoryLogStore logs = new InMemoryLogStore();
  private final InMemoryWorkloadRuntime runtime =
      new InMemoryWorkloadRuntime(logs, InMemoryRuntimeConfig.instant(), Clock.systemUTC());
  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
  private final Random random = new Random(7);
  private final Tool tool =
      new Tool(new ToolName("job"), 1, "a job", InMemoryToolrun.BUSYBOX_TASK, EARLIER);
  private Toolrun app;

  @AfterEach
  void close() {
    runtime.close();
    executor.shutdownNow();
  }

  /**
   * Starts toolrun on the records so far, with the workloads of {@code stillRunning} in the
   * cluster.
   */
  private void restart(Capacity capacity, Set<InstanceId> stillRunning) {
    WorkloadRuntimeWithSurvivors cluster = new WorkloadRuntimeWithSurvivors(runtime, stillRunning);
    app =
        Toolrun.builder()
            .tools(tools)
            .instances(instances)
            .logs(logs)
            .runtime(cluster)
            .capacity(capacity)
            .executor(executor)
            .clock(Clock.systemUTC())
            .random(random)
            .build();
    app.start();
  }

  @Test
  void aCatalogThatCannotBeReadFailsTheStartInsteadOfTheFirstRequest() {
    ToolRepository unreachable =
        new ToolRepository() {
          @Override
          public void add(Tool tool) {
            throw new RuntimeUnavailableException("the tool records cannot be read", null);
          }

          @Override
          public List<Tool> versions(ToolName name) {
            throw new RuntimeUnavailableException("the tool records cannot be read", null);
          }

          @Override
          public Page<Tool> listLatest(PageRequest page) {
            throw new RuntimeUnavailableException("the tool records cannot be read", null);
          }

          @Override
          public boolean remove(ToolName name) {
            throw new RuntimeUnavailableException("the tool records cannot be read", null);
          }
        };
    app =
        Toolrun.builder()
            .tools(unreachable)
            .instances(instances)
            .logs(logs)
            .runtime(runtime)
            .capacity(Capacity.DEFAULT)
            .executor(executor)
            .clock(Clock.systemUTC())
            .random(random)
            .build();

    assertThatThrownBy(app::start)
        .isInstanceOf(RuntimeUnavailableException.class)
        .hasMessageContaining("tool records");
  }

  private Instance recorded(InstanceState... path) {
    return recorded(Set.of(), path);
  }

  private Instance recorded(Set<String> secretNames, InstanceState... path) {
    Instance instance =
        Instance.launch(
            InstanceId.generate(EARLIER, random),
            tool,
            Parameters.NONE,
            secretNames,
            Optional.empty(),
            EARLIER);
    for (InstanceState state : path) {
      instance = instance.transitionTo(state, EARLIER.plusSeconds(1));
    }
    instances.add(instance);
    return instance;
  }

  private Instance now(Instance instance) {
    return app.getInstance().get(new GetInstanceQuery(instance.id())).instance();
  }

  private Instance awaitState(Instance instance, InstanceState state) {
    await().atMost(PATIENCE).until(() -> now(instance).state() == state);
    return now(instance);
  }

  @Test
  void launchesThatNeverGotAWorkloadAreLaunchedAgainAndRun() {
    tools.add(tool);
    Instance pending = recorded();
    Instance creating = recorded(InstanceState.CREATING);

    restart(Capacity.DEFAULT, Set.of());

    assertThat(awaitState(pending, InstanceState.SUCCEEDED).result()).isPresent();
    assertThat(awaitState(creating, InstanceState.SUCCEEDED).result()).isPresent();
  }

  @Test
  void aLaunchWithSecretsThatNeverGotAWorkloadFailsAndSaysWhy() {
    tools.add(tool);
    Instance withSecrets = recorded(Set.of("API_TOKEN"));

    restart(Capacity.DEFAULT, Set.of());

    Instance failed = awaitState(withSecrets, InstanceState.FAILED);
    assertThat(failed.failure()).get().asString().contains("secret values are never stored");
  }

  @Test
  void aLaunchWithSecretsByReferenceThatNeverGotAWorkloadIsLaunchedAgainWithTheReference() {
    Tool withSecret =
        new Tool(
            new ToolName("deployer"),
            1,
            "takes a token",
            dev.toolrun.domain.tool.ToolSpec.task(
                    dev.toolrun.domain.tool.ContainerImage.of("busybox:1"))
                .secretInput("API_TOKEN")
                .build(),
            EARLIER);
    tools.add(withSecret);
    runtime.defineSecret("deployer-token", Set.of("API_TOKEN"));
    Instance queued =
        Instance.launch(
            InstanceId.generate(EARLIER, random),
            withSecret,
            Parameters.NONE,
            Set.of("API_TOKEN"),
            Optional.of(new SecretReference("deployer-token")),
            Optional.empty(),
            EARLIER);
    instances.add(queued);

    restart(Capacity.DEFAULT, Set.of());

    Instance done = awaitState(queued, InstanceState.SUCCEEDED);
    assertThat(done.secretReference()).contains(new SecretReference("deployer-token"));
  }

  @Test
  void aLaunchWhoseToolVersionWasDeletedFailsAndSaysWhy() {
    Instance orphaned = recorded();

    restart(Capacity.DEFAULT, Set.of());

    assertThat(awaitState(orphaned, InstanceState.FAILED).failure())
        .get()
        .asString()
        .contains("tool version was deleted");
  }

  @Test
  void aRunWhoseWorkloadVanishedWhileToolrunWasDownFails() {
    tools.add(tool);
    Instance running =
        recorded(InstanceState.CREATING, InstanceState.STARTING, InstanceState.RUNNING);

    restart(Capacity.DEFAULT, Set.of());

    Instance failed = awaitState(running, InstanceState.FAILED);
    assertThat(failed.failure())
        .get()
        .isInstanceOf(FailureReason.RuntimeError.class)
        .asString()
        .contains("workload disappeared");
  }

  @Test
  void aRunStillGoingIsFollowedAndHoldsItsPlace() {
    tools.add(tool);
    Instance running =
        recorded(InstanceState.CREATING, InstanceState.STARTING, InstanceState.RUNNING);

    restart(new Capacity(1, 1), Set.of(running.id()));
    InstanceId waiting =
        app.launchInstance()
            .launch(
                new LaunchInstanceCommand(
                    tool.name(),
                    Optional.empty(),
                    Parameters.NONE,
                    SecretValues.NONE,
                    Optional.empty()))
            .view()
            .instance()
            .id();

    assertThat(now(running).state()).isEqualTo(InstanceState.RUNNING);
    assertThat(app.getInstance().get(new GetInstanceQuery(waiting)).queuePosition())
        .as("the followed run holds the only place")
        .contains(1);
    // What the cluster says once the run ends.
    app.recordRunProgress()
        .record(
            RunProgress.succeeded(
                running.id(), Optional.of(new ToolResult("{\"n\":1}")), Instant.now()));

    assertThat(awaitState(running, InstanceState.SUCCEEDED).result())
        .contains(new ToolResult("{\"n\":1}"));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                app.getInstance().get(new GetInstanceQuery(waiting)).instance().state()
                    == InstanceState.SUCCEEDED);
  }

  @Test
  void aStopInProgressIsFinished() {
    Tool service =
        new Tool(
            new ToolName("web"),
            1,
            "a service",
            ToolSpec.service(
                    ContainerImage.of("registry.example/web:1"), ServiceSettings.http(8080))
                .build(),
            EARLIER);
    tools.add(service);
    Instance stopping =
        Instance.launch(
                InstanceId.generate(EARLIER, random),
                service,
                Parameters.NONE,
                Set.of(),
                Optional.empty(),
                EARLIER)
            .transitionTo(InstanceState.CREATING, EARLIER)
            .transitionTo(InstanceState.STARTING, EARLIER)
            .transitionTo(InstanceState.RUNNING, EARLIER)
            .transitionTo(InstanceState.STOPPING, EARLIER);
    instances.add(stopping);

    restart(Capacity.DEFAULT, Set.of());

    awaitState(stopping, InstanceState.STOPPED);
  }

  @Test
  void endedRunsAreLeftAsTheyWere() {
    tools.add(tool);
    Instance ended =
        recorded(InstanceState.CREATING, InstanceState.STARTING, InstanceState.RUNNING)
            .fail(new FailureReason.ExitedNonZero(3), Optional.of(3), EARLIER.plusSeconds(2));
    instances.update(ended.id(), i -> ended);

    restart(Capacity.DEFAULT, Set.of());

    assertThat(now(ended)).isEqualTo(ended);
  }

  /** The in-memory runtime, plus the workloads a previous toolrun left running in the cluster. */
  private static final class WorkloadRuntimeWithSurvivors extends DelegatingRuntime {
    private final Set<InstanceId> survivors;

    WorkloadRuntimeWithSurvivors(InMemoryWorkloadRuntime runtime, Set<InstanceId> survivors) {
      super(runtime);
      this.survivors = survivors;
    }

    @Override
    public boolean hasWorkload(InstanceId id) {
      return survivors.contains(id) || super.hasWorkload(id);
    }
  }
}
