package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.Scenario;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.error.RuntimeRejectedException;
import dev.toolrun.domain.error.RuntimeUnavailableException;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.instance.FailureKind;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.LogTail;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.instance.WorkloadStart;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.ports.in.LogStatus;
import dev.toolrun.ports.in.RecordRunProgressUseCase;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.Launch;
import dev.toolrun.ports.out.PageRequest;
import dev.toolrun.ports.out.RuntimeCapabilities;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RuntimeFailureTest {
  private InMemoryToolrun toolrun;

  @AfterEach
  void close() {
    toolrun.close();
  }

  @Test
  void aRuntimeThatRefusesTheWorkloadFailsTheInstanceWithItsReasonAndFreesItsPlace() {
    toolrun =
        new InMemoryToolrun(
            new Capacity(1, 1),
            runtime ->
                new Decorated(
                    runtime,
                    launch -> {
                      throw new RuntimeRejectedException(
                          RuntimeRejectedException.Kind.QUOTA_EXCEEDED,
                          "exceeded quota: toolrun-tasks, requested: pods=1",
                          null);
                    }));
    toolrun.registered("echo");

    InstanceId first = toolrun.launch("echo").view().instance().id();
    InstanceId second = toolrun.launch("echo").view().instance().id();
    Instance failed = toolrun.awaitState(first, InstanceState.FAILED);

    assertThat(failed.failure().map(FailureReason::kind)).contains(FailureKind.RUNTIME_ERROR);
    assertThat(failed.failure().map(FailureReason::message))
        .hasValueSatisfying(m -> assertThat(m).contains("exceeded quota"));
    assertThat(toolrun.awaitState(second, InstanceState.FAILED).failure().map(FailureReason::kind))
        .contains(FailureKind.RUNTIME_ERROR);
    // Nothing ran, so nothing was written, and its log is complete rather than open forever.
    assertThat(failed.logTail()).contains(LogTail.NONE_WRITTEN);
    assertThat(toolrun.view(first).log())
        .contains(new LogStatus(LogStatus.State.COMPLETE, 0, 0, Optional.empty()));
  }

  @Test
  void aLaunchTheRuntimeCouldNeverCreateIsRefusedBeforeAnythingIsRecordedOrHeld() {
    List<Launch> launched = new CopyOnWriteArrayList<>();
    toolrun =
        new InMemoryToolrun(
            new Capacity(1, 1),
            runtime ->
                new Decorated(
                        runtime,
                        launch -> {
                          launched.add(launch);
                          runtime.launch(launch);
                        })
                    .checkingFit(
                        launch -> {
                          if (!launch.instance().parameters().equals(Parameters.NONE)) {
                            throw ValidationException.of(
                                "parameters", "take too many bytes for the runtime");
                          }
                        }));
    toolrun.registered("echo");

    assertThatThrownBy(
            () ->
                toolrun.launch(
                    "echo",
                    new Parameters(Map.of("big", "yes")),
                    SecretValues.NONE,
                    Optional.empty()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("parameters");

    assertThat(toolrun.instances.list(InstanceFilter.ALL, PageRequest.first(10)).items()).isEmpty();
    // Nothing holds the one place: the next launch runs.
    InstanceId next = toolrun.launch("echo").view().instance().id();
    toolrun.awaitState(next, InstanceState.SUCCEEDED);
    assertThat(launched).extracting(l -> l.instance().id()).containsExactly(next);
  }

  @Test
  void aRuntimeClosingUnderALaunchLeavesTheInstanceCreatingForTheNextStart() {
    CountDownLatch refused = new CountDownLatch(1);
    toolrun =
        new InMemoryToolrun(
            Capacity.DEFAULT,
            runtime ->
                new Decorated(
                    runtime,
                    launch -> {
                      refused.countDown();
                      // What a runtime whose executor was shut down by toolrun's stop throws.
                      throw new RejectedExecutionException("the runtime is closing");
                    }));
    toolrun.registered("echo");

    InstanceId id = toolrun.launch("echo").view().instance().id();

    await().atMost(Duration.ofSeconds(5)).until(() -> refused.getCount() == 0);
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(5))
        .until(() -> toolrun.instance(id).state() == InstanceState.CREATING);
    assertThat(toolrun.instance(id).failure()).isEmpty();
  }

  @Test
  void anUnexpectedErrorOfTheRuntimeFailsTheInstanceAsARuntimeError() {
    toolrun =
        new InMemoryToolrun(
            Capacity.DEFAULT,
            runtime ->
                new Decorated(
                    runtime,
                    launch -> {
                      throw new IllegalStateException("the runtime's own bug");
                    }));
    toolrun.registered("echo");

    InstanceId id = toolrun.launch("echo").view().instance().id();
    Instance failed = toolrun.awaitState(id, InstanceState.FAILED);

    assertThat(failed.failure().map(FailureReason::kind)).contains(FailureKind.RUNTIME_ERROR);
    assertThat(failed.failure().map(FailureReason::message))
        .hasValueSatisfying(m -> assertThat(m).contains("the runtime's own bug"));
  }

  @Test
  void aTaskThatEndsBeforeItsLaunchReturnsIsNotTerminated() {
    Set<InstanceId> terminated = ConcurrentHashMap.newKeySet();
    toolrun =
        new InMemoryToolrun(
            Capacity.DEFAULT,
            runtime ->
                new Decorated(
                    runtime,
                    launch -> {
                      runtime.launch(launch);
                      // A quick task (or an adopted, finished one) ends before launch returns.
                      InstanceId id = launch.instance().id();
                      await()
                          .atMost(InMemoryToolrun.PATIENCE)
                          .until(() -> toolrun.instance(id).isTerminal());
                    },
                    terminated::add));
    toolrun.registered("quick");
    toolrun.runtime.script(new ToolName("quick"), Scenario.succeed(List.of("done"), "{}"));

    InstanceId id = toolrun.launch("quick").view().instance().id();
    toolrun.awaitState(id, InstanceState.SUCCEEDED);
    InstanceId next = toolrun.launch("quick").view().instance().id();
    toolrun.awaitState(next, InstanceState.SUCCEEDED);

    assertThat(terminated).isEmpty();
  }

  @Test
  void aTaskCancelledWhileTheRuntimeCreatesItHasItsWorkloadRemoved() {
    toolrun =
        new InMemoryToolrun(
            Capacity.DEFAULT,
            runtime ->
                new Decorated(
                    runtime,
                    launch -> {
                      // The user cancels while the runtime is still creating the workload.
                      toolrun.cancel(launch.instance().id());
                      runtime.launch(launch);
                    }));
    toolrun.registered("endless");
    toolrun.runtime.script(new ToolName("endless"), Scenario.neverFinish());

    InstanceId id = toolrun.launch("endless").view().instance().id();

    assertThat(toolrun.awaitState(id, InstanceState.CANCELLED).state())
        .isEqualTo(InstanceState.CANCELLED);
    // The in-memory runtime completes the log of a workload it removed; a forgotten one never ends.
    toolrun.awaitCompleteLog(id);
  }

  @Test
  void aLaunchWhileTheRuntimeCannotBeReachedWaitsInCreatingAndRunsOnceItIsBack() {
    AtomicInteger outages = new AtomicInteger(2);
    List<InstanceId> launched = new CopyOnWriteArrayList<>();
    toolrun =
        new InMemoryToolrun(
            Capacity.DEFAULT,
            runtime ->
                new Decorated(
                    runtime,
                    launch -> {
                      if (outages.getAndDecrement() > 0) {
                        throw new RuntimeUnavailableException(
                            "the API server at https://127.0.0.1:6443 could not be reached", null);
                      }
                      launched.add(launch.instance().id());
                      runtime.launch(launch);
                    }));
    toolrun.registered("echo");

    InstanceId id = toolrun.launch("echo").view().instance().id();

    toolrun.awaitState(id, InstanceState.CREATING);
    assertThat(toolrun.awaitState(id, InstanceState.SUCCEEDED).history())
        .extracting(change -> change.state())
        .containsExactly(
            InstanceState.PENDING,
            InstanceState.CREATING,
            InstanceState.STARTING,
            InstanceState.RUNNING,
            InstanceState.SUCCEEDED);
    assertThat(launched).as("one workload, created once the runtime was back").containsExactly(id);
  }

  @Test
  void aLaunchWhoseRecordCannotBeStoredIsRefusedAndLeavesNothingBehind() {
    toolrun =
        new InMemoryToolrun(
            Capacity.DEFAULT,
            UnaryOperator.identity(),
            records ->
                new ForwardingInstanceRepository(records) {
                  @Override
                  public void add(Instance instance) {
                    throw new RuntimeUnavailableException(
                        "the API server at https://127.0.0.1:6443 could not be reached", null);
                  }
                });
    toolrun.registered("echo");

    assertThatThrownBy(() -> toolrun.launch("echo"))
        .isInstanceOf(RuntimeUnavailableException.class);

    assertThat(toolrun.instances.list(InstanceFilter.ALL, PageRequest.first(10)).items()).isEmpty();
  }

  @Test
  void aTaskStuckInCreatingCanAlwaysBeCancelledAndFreesItsPlace() {
    // A runtime that never takes a launch: the instance is retried in CREATING for ever.
    toolrun =
        new InMemoryToolrun(
            new Capacity(1, 1),
            runtime ->
                new Decorated(
                    runtime,
                    launch -> {
                      throw new RuntimeUnavailableException("the runtime is away", null);
                    }));
    toolrun.registered("echo");
    InstanceId stuck = toolrun.launched("echo");
    toolrun.awaitState(stuck, InstanceState.CREATING);
    InstanceId next = toolrun.launched("echo");
    assertThat(toolrun.view(next).queuePosition()).contains(1);

    Instance cancelled = toolrun.cancel(stuck).instance();

    assertThat(cancelled.state()).isEqualTo(InstanceState.CANCELLED);
    toolrun.awaitState(next, InstanceState.CREATING);
  }

  @Test
  void aTaskStuckInCreatingWhoseRecordIsDeletedFreesItsPlace() {
    toolrun =
        new InMemoryToolrun(
            new Capacity(1, 1),
            runtime ->
                new Decorated(
                    runtime,
                    launch -> {
                      throw new RuntimeUnavailableException("the runtime is away", null);
                    }));
    toolrun.registered("echo");
    InstanceId stuck = toolrun.launched("echo");
    toolrun.awaitState(stuck, InstanceState.CREATING);
    InstanceId next = toolrun.launched("echo");

    toolrun.instances.remove(stuck);

    toolrun.awaitState(next, InstanceState.CREATING);
    assertThatThrownBy(() -> toolrun.cancel(stuck)).isInstanceOf(InstanceNotFoundException.class);
  }

  /** The in-memory runtime with its launch (and optionally its terminate) replaced. */
  private static final class Decorated implements WorkloadRuntime {
    private final WorkloadRuntime runtime;
    private final Consumer<Launch> launch;
    private final Consumer<InstanceId> terminate;
    private Consumer<Launch> fits = launch -> {};

    Decorated(WorkloadRuntime runtime, Consumer<Launch> launch) {
      this(runtime, launch, id -> {});
    }

    Decorated(WorkloadRuntime runtime, Consumer<Launch> launch, Consumer<InstanceId> onTerminate) {
      this.runtime = runtime;
      this.launch = launch;
      this.terminate =
          id -> {
            onTerminate.accept(id);
            runtime.terminate(id);
          };
    }

    @Override
    public RuntimeCapabilities capabilities() {
      return runtime.capabilities();
    }

    @Override
    public void observe(RecordRunProgressUseCase listener) {
      runtime.observe(listener);
    }

    @Override
    public WorkloadStart launch(Launch launch) {
      this.launch.accept(launch);
      return WorkloadStart.COLD;
    }

    /** This runtime's {@link #checkFits} calls {@code check}. */
    Decorated checkingFit(Consumer<Launch> check) {
      fits = check;
      return this;
    }

    @Override
    public void checkFits(Launch launch) {
      fits.accept(launch);
    }

    @Override
    public void terminate(InstanceId id) {
      terminate.accept(id);
    }

    @Override
    public boolean hasWorkload(InstanceId id) {
      return runtime.hasWorkload(id);
    }

    @Override
    public CompletionStage<ServiceResponse> send(
        InstanceId id, int port, ServiceRequest request, Duration timeout) {
      return runtime.send(id, port, request, timeout);
    }

    @Override
    public void restart(InstanceId id) {
      runtime.restart(id);
    }
  }
}
