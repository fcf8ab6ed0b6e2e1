package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryInstanceRepository;
import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.inmemory.InMemoryRuntimeConfig;
import dev.toolrun.adapter.inmemory.InMemoryToolRepository;
import dev.toolrun.adapter.inmemory.InMemoryWorkloadRuntime;
import dev.toolrun.adapter.jsonschema.NetworkntSchemaValidator;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.instance.ServiceRequest;
import dev.toolrun.domain.instance.ServiceResponse;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.CancelInstanceUseCase.CancelInstanceCommand;
import dev.toolrun.ports.in.ExecuteRequestUseCase.ExecuteRequestCommand;
import dev.toolrun.ports.in.GetInstanceLogsUseCase.GetInstanceLogsQuery;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import dev.toolrun.ports.in.LaunchInstanceUseCase.Launched;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import dev.toolrun.ports.in.RegisterToolUseCase.Registration;
import dev.toolrun.ports.in.StopInstanceUseCase.StopInstanceCommand;
import dev.toolrun.ports.out.InstanceRepository;
import dev.toolrun.ports.out.Leadership;
import dev.toolrun.ports.out.LogPage;
import dev.toolrun.ports.out.LogPage.LogLine;
import dev.toolrun.ports.out.WorkloadRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.UnaryOperator;

/**
 * The application core wired to the in-memory adapters, with runs played without delay, and the few
 * steps the use-case tests repeat.
 */
final class InMemoryToolrun implements AutoCloseable {
  static final Duration PATIENCE = Duration.ofSeconds(10);

  /** Often enough that waiting adds little to the 100 ms steps of health checks. */
  static final Duration POLL = Duration.ofMillis(10);

  static final ToolSpec BUSYBOX_TASK = ToolSpec.task(ContainerImage.of("busybox:1")).build();

  final InMemoryToolRepository tools = new InMemoryToolRepository();
  final InMemoryInstanceRepository instances = new InMemoryInstanceRepository();
  final InMemoryLogStore logs = new InMemoryLogStore();
  // As toolrun's service wires them: the runtime writes through the LiveLogs the core reads.
  final LiveLogs liveLogs = LiveLogs.over(logs);
  final InMemoryWorkloadRuntime runtime =
      new InMemoryWorkloadRuntime(
          liveLogs, InMemoryRuntimeConfig.instant(), Clock.systemUTC(), tools::latest);
  private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2);
  final Toolrun app;

  InMemoryToolrun(Capacity capacity) {
    this(capacity, UnaryOperator.identity());
  }

  /** A toolrun whose core talks to the in-memory runtime through {@code decorate}'s runtime. */
  InMemoryToolrun(Capacity capacity, UnaryOperator<WorkloadRuntime> decorate) {
    this(capacity, decorate, UnaryOperator.identity());
  }

  /** A toolrun whose core also keeps its records through {@code decorateRecords}'s repository. */
  InMemoryToolrun(
      Capacity capacity,
      UnaryOperator<WorkloadRuntime> decorate,
      UnaryOperator<InstanceRepository> decorateRecords) {
    this(capacity, decorate, decorateRecords, Leadership.SOLE);
    app.start();
  }

  /** A toolrun that asks {@code leadership} whether it writes, not yet started: a standby. */
  static InMemoryToolrun standby(Leadership leadership) {
    return new InMemoryToolrun(
        Capacity.DEFAULT, UnaryOperator.identity(), UnaryOperator.identity(), leadership);
  }

  private InMemoryToolrun(
      Capacity capacity,
      UnaryOperator<WorkloadRuntime> decorate,
      UnaryOperator<InstanceRepository> decorateRecords,
      Leadership leadership) {
    app =
        Toolrun.builder()
            .tools(tools)
            .instances(decorateRecords.apply(instances))
            .logs(liveLogs)
            .runtime(decorate.apply(runtime))
            .schemas(NetworkntSchemaValidator.create())
            .capacity(capacity)
            .executor(executor)
            .clock(Clock.systemUTC())
            .random(new Random(11))
            .leadership(leadership)
            .build();
  }

  Registration register(String name, ToolSpec spec) {
    return app.registerTool()
        .register(new RegisterToolCommand(new ToolName(name), "the " + name + " tool", spec));
  }

  Tool registered(String name) {
    return register(name, BUSYBOX_TASK).tool();
  }

  Launched launch(String tool) {
    return launch(tool, Parameters.NONE, SecretValues.NONE, Optional.empty());
  }

  Launched launch(
      String tool, Parameters parameters, SecretValues secrets, Optional<String> idempotencyKey) {
    return app.launchInstance()
        .launch(
            new LaunchInstanceCommand(
                new ToolName(tool), Optional.empty(), parameters, secrets, idempotencyKey));
  }

  /** A launch of {@code tool} whose secret inputs come from the Secret {@code secret}. */
  Launched launchWithSecretFrom(
      String tool, String secret, SecretValues alsoValues, Optional<String> idempotencyKey) {
    return app.launchInstance()
        .launch(
            new LaunchInstanceCommand(
                new ToolName(tool),
                Optional.empty(),
                Parameters.NONE,
                alsoValues,
                Optional.of(new SecretReference(secret)),
                idempotencyKey));
  }

  InstanceView view(InstanceId id) {
    return app.getInstance().get(new GetInstanceQuery(id));
  }

  Instance instance(InstanceId id) {
    return view(id).instance();
  }

  Instance awaitState(InstanceId id, InstanceState state) {
    await().atMost(PATIENCE).pollInterval(POLL).until(() -> instance(id).state() == state);
    return instance(id);
  }

  InstanceView cancel(InstanceId id) {
    return app.cancelInstance().cancel(new CancelInstanceCommand(id));
  }

  /** Registers a service tool running its own image with {@code settings}. */
  Tool registeredService(String name, ServiceSettings settings) {
    return register(
            name,
            ToolSpec.service(ContainerImage.of("registry.example/" + name + ":1"), settings)
                .build())
        .tool();
  }

  InstanceId launched(String tool) {
    return launch(tool).view().instance().id();
  }

  InstanceView stop(InstanceId id) {
    return app.stopInstance().stop(new StopInstanceCommand(id));
  }

  /** Sends {@code request} to instance {@code id} through the use case. */
  CompletableFuture<ServiceResponse> send(InstanceId id, ServiceRequest request) {
    return app.executeRequest()
        .execute(new ExecuteRequestCommand(id, request))
        .toCompletableFuture();
  }

  CompletableFuture<ServiceResponse> send(InstanceId id, String path) {
    return send(id, ServiceRequest.get(path));
  }

  /** What {@code stage} failed with, once it has, unwrapped. */
  static Throwable failureOf(CompletableFuture<?> stage) {
    await().atMost(PATIENCE).pollInterval(POLL).until(stage::isDone);
    assertThat(stage).isCompletedExceptionally();
    return stage
        .handle(
            (ok, failure) -> failure instanceof CompletionException ? failure.getCause() : failure)
        .join();
  }

  static String text(ServiceResponse response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  LogPage log(InstanceId id) {
    return app.getInstanceLogs().logs(new GetInstanceLogsQuery(id, 0, 1000));
  }

  List<String> awaitCompleteLog(InstanceId id) {
    await().atMost(PATIENCE).until(() -> log(id).complete());
    return log(id).lines().stream().map(LogLine::text).toList();
  }

  @Override
  public void close() {
    runtime.close();
    executor.shutdownNow();
  }
}
