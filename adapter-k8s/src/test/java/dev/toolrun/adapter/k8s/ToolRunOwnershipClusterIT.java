package dev.toolrun.adapter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.domain.error.InstanceNotFoundException;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import dev.toolrun.ports.in.WatchInstancesUseCase.InstanceWatch;
import dev.toolrun.ports.in.WatchInstancesUseCase.WatchInstancesQuery;
import dev.toolrun.ports.out.InstanceFilter;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * With the resources record store, a run is its ToolRun: a launch appears as one (kubectl get
 * toolruns shows its tool and state), its Job is owned by it, and {@code kubectl delete toolrun} of
 * a running one cancels it through the core (a watcher sees it end CANCELLED, the ToolRun's status
 * says so while toolrun's finalizer holds it) and then leaves nothing behind (the garbage collector
 * deletes what the Job and ToolRun own) while toolrun forgets the run.
 */
class ToolRunOwnershipClusterIT {
  private static final Duration PATIENCE = Duration.ofSeconds(90);
  private CountedToolrun toolrun;

  @BeforeEach
  void start() {
    toolrun = CountedToolrun.start(RecordStore.RESOURCES);
  }

  @AfterEach
  void stop() {
    toolrun.close();
  }

  @Test
  void deletingTheToolRunOfARunningTaskLeavesNothingBehind() {
    ToolName tool = new ToolName("sleeper");
    toolrun
        .app
        .registerTool()
        .register(
            new RegisterToolCommand(
                tool,
                "sleeps",
                ToolSpec.task(
                        new ContainerImage(
                            "kube-local.test/busybox:1", List.of("sleep", "300"), List.of()))
                    .build()));
    InstanceId id =
        toolrun
            .app
            .launchInstance()
            .launch(
                new LaunchInstanceCommand(
                    tool,
                    Optional.empty(),
                    new Parameters(Map.of("n", 1)),
                    SecretValues.NONE,
                    Optional.empty()))
            .view()
            .instance()
            .id();
    await().atMost(PATIENCE).until(() -> state(id) == InstanceState.RUNNING);

    var admin = toolrun.cluster.admin();
    String namespace = toolrun.cluster.namespace();
    var runs =
        admin.genericKubernetesResources("toolrun.dev/v1alpha1", "ToolRun").inNamespace(namespace);
    GenericKubernetesResource run = runs.withName(id.value()).get();
    assertThat(run).as("the launch's ToolRun").isNotNull();
    assertThat(run.getAdditionalProperties().get("spec").toString()).contains("tool=sleeper");
    Job job = jobOf(id);
    assertThat(job.getMetadata().getOwnerReferences())
        .extracting(OwnerReference::getKind, OwnerReference::getName, OwnerReference::getUid)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ToolRun", id.value(), run.getMetadata().getUid()));

    List<InstanceState> seen = new CopyOnWriteArrayList<>();
    InstanceWatch watch =
        toolrun.app.watchInstances().watch(new WatchInstancesQuery(InstanceFilter.ALL));
    WatchedStates.follow(watch, id, seen);
    runs.withName(id.value()).delete();

    await().atMost(PATIENCE).until(() -> seen.contains(InstanceState.CANCELLED));
    watch.close();

    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () -> {
              assertThat(runs.withName(id.value()).get()).as("its ToolRun").isNull();
              assertThat(jobs(id)).as("its Job").isEmpty();
              assertThat(
                      admin
                          .configMaps()
                          .inNamespace(namespace)
                          .withLabel(WorkloadLabels.INSTANCE, id.value())
                          .list()
                          .getItems())
                  .as("its ConfigMap")
                  .isEmpty();
              assertThat(
                      admin
                          .pods()
                          .inNamespace(namespace)
                          .withLabel(WorkloadLabels.INSTANCE, id.value())
                          .list()
                          .getItems())
                  .as("its pods")
                  .isEmpty();
            });
    // toolrun forgot the run: its record is what was deleted.
    await()
        .atMost(PATIENCE)
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> state(id)).isInstanceOf(InstanceNotFoundException.class));
  }

  private InstanceState state(InstanceId id) {
    return toolrun.app.getInstance().get(new GetInstanceQuery(id)).instance().state();
  }

  private Job jobOf(InstanceId id) {
    return jobs(id).get(0);
  }

  private List<Job> jobs(InstanceId id) {
    return toolrun
        .cluster
        .admin()
        .batch()
        .v1()
        .jobs()
        .inNamespace(toolrun.cluster.namespace())
        .withLabel(WorkloadLabels.INSTANCE, id.value())
        .list()
        .getItems();
  }
}
