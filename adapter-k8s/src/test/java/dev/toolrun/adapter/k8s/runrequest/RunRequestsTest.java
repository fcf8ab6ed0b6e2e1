package dev.toolrun.adapter.k8s.runrequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.k8s.KubernetesAdapter;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.RecordStore;
import dev.toolrun.adapter.k8s.WatchedStates;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.adapter.k8s.record.KubernetesInstanceRepository;
import dev.toolrun.adapter.k8s.record.ToolRuns;
import dev.toolrun.application.Capacity;
import dev.toolrun.application.Toolrun;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.CancelInstanceUseCase.CancelInstanceCommand;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.ListInstancesUseCase.ListInstancesQuery;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import dev.toolrun.ports.in.WatchInstancesUseCase.InstanceWatch;
import dev.toolrun.ports.in.WatchInstancesUseCase.WatchInstancesQuery;
import dev.toolrun.ports.out.InstanceFilter;
import dev.toolrun.ports.out.Leadership;
import dev.toolrun.ports.out.PageRequest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ToolRun door on fabric8's mock API server, over the real core and the Kubernetes adapter with
 * ToolRun records: what a ToolRun written by hand becomes.
 */
@EnableKubernetesMockClient(crud = true)
class RunRequestsTest {
  private static final String NAMESPACE = "door";
  private static final ToolName GREETER = new ToolName("greeter");
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  KubernetesClient client;
  private KubernetesAdapter kubernetes;
  private KubernetesCluster cluster;
  private ScheduledExecutorService executor;
  private Toolrun app;
  private final List<RunRequests> doors = new java.util.ArrayList<>();

  @BeforeEach
  void start() {
    KubernetesConfig config =
        KubernetesConfig.defaults().inNamespace(NAMESPACE).toBuilder()
            .records(RecordStore.RESOURCES)
            .build();
    kubernetes = KubernetesAdapter.using(client, config, new InMemoryLogStore(), Clock.systemUTC());
    cluster = KubernetesCluster.using(client, config);
    executor = Executors.newScheduledThreadPool(2);
    app =
        Toolrun.builder()
            .tools(kubernetes.tools())
            .instances(kubernetes.instances())
            .logs(new InMemoryLogStore())
            .runtime(kubernetes.runtime())
            .capacity(Capacity.DEFAULT)
            .executor(executor)
            .clock(Clock.systemUTC())
            .random(new SecureRandom())
            .build();
    app.start();
    app.registerTool()
        .register(
            new RegisterToolCommand(
                GREETER,
                "greets",
                ToolSpec.task(
                        new ContainerImage(
                            "kube-local.test/busybox:1", List.of("echo", "hello"), List.of()))
                    .build()));
  }

  @AfterEach
  void stop() {
    doors.forEach(RunRequests::close);
    kubernetes.close();
    executor.shutdownNow();
  }

  private RunRequests door(Leadership leadership) {
    RunRequests door =
        new RunRequests(
            cluster,
            (KubernetesInstanceRepository) kubernetes.instances(),
            app.launchInstance(),
            app.cancelInstance(),
            app.stopInstance(),
            app.getInstance(),
            leadership,
            Clock.systemUTC());
    doors.add(door);
    return door;
  }

  @Test
  void aToolRunWrittenByHandIsLaunchedAndBecomesTheRecordOfItsInstance() {
    create(
        run("greet-1", Map.of("tool", "greeter", "parameters", Map.of("name", "Ada", "n", 1.10))));
    door(Leadership.SOLE).start();

    await().atMost(PATIENCE).until(() -> instanceLabel(get("greet-1")).isPresent());
    GenericKubernetesResource adopted = get("greet-1");
    InstanceId id = new InstanceId(instanceLabel(adopted).orElseThrow());
    assertThat(adopted.getMetadata().getFinalizers()).contains(ToolRuns.FINALIZER);
    assertThat(spec(adopted))
        .containsEntry("tool", "greeter")
        .containsEntry("version", 1)
        .containsEntry("mode", "TASK")
        .containsKey("createdAt")
        .containsKey("parametersJson");
    Instance instance = app.getInstance().get(new GetInstanceQuery(id)).instance();
    assertThat(instance.toolName()).isEqualTo(GREETER);
    assertThat(instance.parameters().values()).containsEntry("name", "Ada");
    // The ToolRun written by hand is the record: no second one was made under the id.
    assertThat(ToolRuns.of(client).inNamespace(NAMESPACE).list().getItems())
        .extracting(r -> r.getMetadata().getName())
        .containsExactly("greet-1");
    // Its status goes to its own name.
    await().atMost(PATIENCE).until(() -> status(get("greet-1")).get("state") != null);
  }

  @Test
  void anInvalidToolRunGetsEveryViolationOnItsStatusAndNoInstance() {
    create(
        run(
            "bad-1",
            Map.of("tool", "Not A Name", "version", 0, "secretRef", Map.of("name", "Creds!"))));
    door(Leadership.SOLE).consider(get("bad-1"));

    Map<String, Object> status = status(get("bad-1"));
    assertThat(status).containsEntry("state", "FAILED");
    Map<String, Object> accepted = accepted(status);
    assertThat(accepted)
        .containsEntry("type", "Accepted")
        .containsEntry("status", "False")
        .containsEntry("reason", "VALIDATION_FAILED");
    assertThat((String) accepted.get("message"))
        .contains("spec.tool")
        .contains("spec.version")
        .contains("spec.secretRef.name: 'Creds!' is not a valid Secret name");
    assertThat(instanceLabel(get("bad-1"))).isEmpty();
    assertThat(instances()).isEmpty();
  }

  @Test
  void aToolRunWithASecretRefRunsWithTheUsersSecretAndKeepsOnlyItsName() {
    app.registerTool()
        .register(
            new RegisterToolCommand(
                new ToolName("deployer"),
                "deploys",
                ToolSpec.task(
                        new ContainerImage(
                            "kube-local.test/busybox:1", List.of("sh", "-c", "true"), List.of()))
                    .secretInput("API_TOKEN")
                    .build()));
    create(run("deploy-1", Map.of("tool", "deployer", "secretRef", Map.of("name", "tokens"))));
    door(Leadership.SOLE).start();

    await().atMost(PATIENCE).until(() -> instanceLabel(get("deploy-1")).isPresent());
    InstanceId id = new InstanceId(instanceLabel(get("deploy-1")).orElseThrow());
    assertThat(spec(get("deploy-1")))
        .containsEntry("secretRef", Map.of("name", "tokens"))
        .containsEntry("secretInputs", List.of("API_TOKEN"));
    Instance instance = app.getInstance().get(new GetInstanceQuery(id)).instance();
    assertThat(instance.secretReference())
        .contains(new dev.toolrun.domain.instance.SecretReference("tokens"));
    await()
        .atMost(PATIENCE)
        .until(
            () -> !client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().isEmpty());
    var job = client.batch().v1().jobs().inNamespace(NAMESPACE).list().getItems().get(0);
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().equals("API_TOKEN"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.getValueFrom().getSecretKeyRef().getName()).isEqualTo("tokens"));
    // toolrun made no Secret of its own for the run: the values are only in the user's.
    assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).isEmpty();
  }

  @Test
  void aToolRunOfAToolNotRegisteredYetIsLaunchedOnceItIs() {
    create(run("later-1", Map.of("tool", "later")));
    RunRequests door = door(Leadership.SOLE);
    door.consider(get("later-1"));

    Map<String, Object> status = status(get("later-1"));
    assertThat(status).doesNotContainKey("state");
    assertThat(accepted(status)).containsEntry("reason", "TOOL_NOT_FOUND");

    app.registerTool()
        .register(
            new RegisterToolCommand(
                new ToolName("later"),
                "comes later",
                ToolSpec.task(
                        new ContainerImage("kube-local.test/busybox:1", List.of("true"), List.of()))
                    .build()));
    door.consider(get("later-1"));
    assertThat(instanceLabel(get("later-1"))).isPresent();
  }

  @Test
  void anIdempotencyKeyUsedForTheSameRequestLaunchesOnceAndTheRepeatIsToldWhichInstanceItIs() {
    Map<String, Object> spec =
        Map.of(
            "tool", "greeter",
            "parameters", Map.of("name", "Ada"),
            "idempotencyKey", Map.of("value", "k-1"));
    create(run("first", spec));
    create(run("again", spec));
    create(
        run(
            "other",
            Map.of(
                "tool", "greeter",
                "parameters", Map.of("name", "Bob"),
                "idempotencyKey", Map.of("value", "k-1"))));
    RunRequests door = door(Leadership.SOLE);
    door.consider(get("first"));
    door.consider(get("again"));
    door.consider(get("other"));

    String id = instanceLabel(get("first")).orElseThrow();
    assertThat(instances()).extracting(i -> i.id().value()).containsExactly(id);
    assertThat(spec(get("first")).get("idempotencyKey").toString())
        .contains("value=k-1")
        .contains("requestFingerprint=");
    Map<String, Object> repeat = status(get("again"));
    assertThat(repeat).doesNotContainKey("state");
    assertThat(accepted(repeat)).containsEntry("reason", "REPLAYED");
    assertThat((String) accepted(repeat).get("message")).contains(id);
    assertThat(instanceLabel(get("again"))).isEmpty();
    Map<String, Object> different = status(get("other"));
    assertThat(different).containsEntry("state", "FAILED");
    assertThat(accepted(different)).containsEntry("reason", "CONFLICT");

    // Asked again (a resync), neither repeat writes anything more.
    String before = get("again").getMetadata().getResourceVersion();
    door.consider(get("again"));
    assertThat(get("again").getMetadata().getResourceVersion()).isEqualTo(before);
  }

  @Test
  void aStandbyLeavesToolRunsAlone() {
    create(run("greet-2", Map.of("tool", "greeter")));
    String before = get("greet-2").getMetadata().getResourceVersion();

    door(() -> Optional.of("standby: not the leader")).consider(get("greet-2"));

    GenericKubernetesResource after = get("greet-2");
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before);
    assertThat(instanceLabel(after)).isEmpty();
    assertThat(instances()).isEmpty();
  }

  @Test
  void anAdoptedToolRunIsNotLaunchedAgainByARestartedDoor() {
    create(run("greet-3", Map.of("tool", "greeter")));
    door(Leadership.SOLE).consider(get("greet-3"));
    String id = instanceLabel(get("greet-3")).orElseThrow();

    // A new door, as after a restart: it knows of no adoption but what the ToolRun says.
    door(Leadership.SOLE).consider(get("greet-3"));

    assertThat(instanceLabel(get("greet-3"))).contains(id);
    assertThat(instances()).extracting(i -> i.id().value()).containsExactly(id);
  }

  @Test
  void aToolRunDeletedWhileItsRunIsActiveEndsCancelledAndThenGoes() {
    create(run("greet-4", Map.of("tool", "greeter")));
    RunRequests door = door(Leadership.SOLE);
    door.consider(get("greet-4"));
    InstanceId id = new InstanceId(instanceLabel(get("greet-4")).orElseThrow());
    assertThat(state(id)).isNotIn(InstanceState.CANCELLED, InstanceState.SUCCEEDED);

    // A watcher that reads all along, as a REST watch does.
    List<InstanceState> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    InstanceWatch watch = app.watchInstances().watch(new WatchInstancesQuery(InstanceFilter.ALL));
    WatchedStates.follow(watch, id, seen);
    ToolRuns.of(client).inNamespace(NAMESPACE).withName("greet-4").delete();
    // The finalizer holds it until the door has ended the run.
    GenericKubernetesResource deleting = get("greet-4");
    assertThat(deleting.getMetadata().getDeletionTimestamp()).isNotNull();

    door.consider(deleting);

    // Cancelled through the core, then let go: nothing is left of it.
    await().atMost(PATIENCE).until(() -> seen.contains(InstanceState.CANCELLED));
    assertThat(ToolRuns.of(client).inNamespace(NAMESPACE).withName("greet-4").get()).isNull();
    watch.close();
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                app.listInstances()
                    .list(new ListInstancesQuery(InstanceFilter.ALL, PageRequest.first(10)))
                    .items()
                    .isEmpty());
  }

  @Test
  void anEndedRunLosesTheFinalizerSoThatDeletingItNeedsNoToolrun() {
    create(run("greet-5", Map.of("tool", "greeter")));
    RunRequests door = door(Leadership.SOLE);
    door.start();
    await().atMost(PATIENCE).until(() -> instanceLabel(get("greet-5")).isPresent());
    InstanceId id = new InstanceId(instanceLabel(get("greet-5")).orElseThrow());
    assertThat(get("greet-5").getMetadata().getFinalizers()).contains(ToolRuns.FINALIZER);

    app.cancelInstance().cancel(new CancelInstanceCommand(id));

    // Its status says CANCELLED, and then the door lets it go: an ended run has nothing to cancel.
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                "CANCELLED".equals(status(get("greet-5")).get("state"))
                    && !get("greet-5").getMetadata().getFinalizers().contains(ToolRuns.FINALIZER));
    door.close();
    // With no toolrun to answer, a delete takes it at once.
    ToolRuns.of(client).inNamespace(NAMESPACE).withName("greet-5").delete();
    assertThat(get("greet-5")).isNull();
  }

  private InstanceState state(InstanceId id) {
    return app.getInstance().get(new GetInstanceQuery(id)).instance().state();
  }

  private List<Instance> instances() {
    return kubernetes.instances().list(InstanceFilter.ALL, PageRequest.first(100)).items();
  }

  private static GenericKubernetesResource run(String name, Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("toolrun.dev/v1alpha1")
        .withKind("ToolRun")
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  private void create(GenericKubernetesResource run) {
    ToolRuns.of(client).inNamespace(NAMESPACE).resource(run).create();
  }

  private GenericKubernetesResource get(String name) {
    return ToolRuns.of(client).inNamespace(NAMESPACE).withName(name).get();
  }

  private static Optional<String> instanceLabel(GenericKubernetesResource run) {
    return Optional.ofNullable(run.getMetadata().getLabels())
        .map(labels -> labels.get(WorkloadLabels.INSTANCE));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource run) {
    return (Map<String, Object>) run.getAdditionalProperties().get("spec");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource run) {
    return (Map<String, Object>)
        Optional.ofNullable(run.getAdditionalProperties().get("status")).orElse(Map.of());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> accepted(Map<String, Object> status) {
    return ((List<Map<String, Object>>) status.get("conditions"))
        .stream().filter(c -> "Accepted".equals(c.get("type"))).findFirst().orElseThrow();
  }
}
