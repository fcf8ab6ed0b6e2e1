package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.adapter.k8s.KubernetesAdapter;
import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.LocalCluster;
import dev.toolrun.adapter.k8s.RecordStore;
import dev.toolrun.adapter.k8s.client.KubernetesCluster;
import dev.toolrun.adapter.k8s.job.WorkloadLabels;
import dev.toolrun.domain.instance.Instance;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An installation upgrades in place: the ConfigMap records of the golden fixtures (as a released
 * toolrun wrote them) become Tool and ToolRun resources, each once, the ConfigMaps go only once
 * their resources are written, a migration interrupted half-way resumes, and the Job of a run that
 * is still going survives the removal of the ConfigMap that owned it. As the runner user with
 * toolrun's Role and the upgrade's (deploy/upgrade/), on the real API server; and the upgrade as
 * docs/operations.md tells it, on toolrun's start: without the upgrade Role nothing is moved and
 * nothing is lost, with it everything is moved once, and after it is unbound toolrun starts on the
 * resources alone.
 */
class RecordMigrationClusterIT {
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = LocalCluster.start();
    cluster.bindRole(LocalCluster.UPGRADE_ROLE);
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void everyConfigMapRecordBecomesItsResourceOnceAndAnInterruptedMigrationResumes() {
    String namespace = cluster.namespace();
    var admin = cluster.admin();
    ConfigMap running = null;
    for (Path fixture : GoldenRecords.fixtures("v1")) {
      ConfigMap created =
          admin
              .configMaps()
              .inNamespace(namespace)
              .resource(GoldenRecords.record(fixture))
              .create();
      if (fixture.getFileName().toString().equals("instance-running.yaml")) {
        running = created;
      }
    }
    Instance runningInstance = InstanceConfigMaps.read(running);
    // The running instance's Job, owned by its ConfigMap record as toolrun made it; with no pods
    // (parallelism 0), so the namespace's Pod Security is beside the point.
    Job job =
        admin
            .batch()
            .v1()
            .jobs()
            .inNamespace(namespace)
            .resource(
                new JobBuilder()
                    .withNewMetadata()
                    .withName("toolrun-" + runningInstance.id().value())
                    .addToLabels(WorkloadLabels.INSTANCE, runningInstance.id().value())
                    .addToOwnerReferences(
                        InstanceConfigMaps.owner(
                            running.getMetadata().getName(), running.getMetadata().getUid()))
                    .endMetadata()
                    .withNewSpec()
                    .withParallelism(0)
                    .withNewTemplate()
                    .withNewSpec()
                    .withRestartPolicy("Never")
                    .addNewContainer()
                    .withName("tool")
                    .withImage("kube-local.test/busybox:1")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();

    try (KubernetesCluster connection =
        KubernetesCluster.using(
            cluster.runner(), KubernetesConfig.defaults().inNamespace(namespace))) {
      // As a migration killed after writing one ToolRun and before removing its ConfigMap left it.
      Instance first = GoldenRecords.instances().values().iterator().next();
      RecordType.TOOL_RUNS
          .operation()
          .apply(cluster.runner())
          .inNamespace(namespace)
          .resource(
              InstanceResources.LAYOUT.newRecord(
                  first,
                  Map.of(
                      WorkloadLabels.MANAGED_BY,
                      WorkloadLabels.MANAGER,
                      Records.RECORD,
                      "instance")))
          .create();

      RecordMigration.Moved moved = new RecordMigration(connection).run();

      assertThat(moved)
          .isEqualTo(
              new RecordMigration.Moved(
                  GoldenRecords.tools().size(), GoldenRecords.instances().size(), 0, true));
      assertThat(
              admin.configMaps().inNamespace(namespace).withLabel(Records.RECORD).list().getItems())
          .as("ConfigMap records left")
          .isEmpty();
      try (KubernetesToolRepository tools =
              new KubernetesToolRepository(connection, RecordStore.RESOURCES);
          KubernetesInstanceRepository instances =
              new KubernetesInstanceRepository(connection, RecordStore.RESOURCES)) {
        assertThat(tools.versions(GoldenRecords.TOOL))
            .containsExactlyElementsOf(GoldenRecords.tools().values());
        for (Map.Entry<String, Instance> golden : GoldenRecords.instances().entrySet()) {
          assertThat(instances.find(golden.getValue().id()))
              .as(golden.getKey())
              .contains(golden.getValue());
        }
        assertThat(
                instances
                    .list(
                        dev.toolrun.ports.out.InstanceFilter.ALL,
                        dev.toolrun.ports.out.PageRequest.first(500))
                    .items())
            .as("each instance once")
            .hasSize(GoldenRecords.instances().size());
        OwnerReference owner = instances.owner(runningInstance.id()).orElseThrow();
        var jobs =
            admin.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName());
        assertThat(jobs.get().getMetadata().getOwnerReferences())
            .extracting(OwnerReference::getKind, OwnerReference::getUid)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("ToolRun", owner.getUid()));
        // The garbage collector would have deleted it by now if it had been left ownerless.
        await()
            .during(Duration.ofSeconds(5))
            .atMost(Duration.ofSeconds(10))
            .until(() -> jobs.get() != null);
      }

      assertThat(new RecordMigration(connection).run())
          .as("a second start moves nothing")
          .isEqualTo(new RecordMigration.Moved(0, 0, 0, true));
    }
  }

  @Test
  void theUpgradeAsOperationsTellsItMovesEverythingOnceAndWithoutItsRoleLosesNothing() {
    try (LocalCluster own = LocalCluster.start()) {
      for (Path fixture : GoldenRecords.fixtures("v1")) {
        own.admin()
            .configMaps()
            .inNamespace(own.namespace())
            .resource(GoldenRecords.record(fixture))
            .create();
      }
      int records = GoldenRecords.fixtures("v1").size();
      KubernetesConfig config = KubernetesConfig.localCluster().inNamespace(own.namespace());
      assertThat(config.records()).as("the default store").isEqualTo(RecordStore.RESOURCES);
      try (KubernetesCluster connection = KubernetesCluster.using(own.runner(), config)) {
        // Started without the upgrade Role: toolrun cannot look, says so, and touches nothing.
        assertThat(new RecordMigration(connection).run())
            .isEqualTo(RecordMigration.Moved.NOT_CHECKED);
        try (KubernetesAdapter withoutUpgrade = adapter(own, config)) {
          assertThat(withoutUpgrade.tools().versions(GoldenRecords.TOOL)).isEmpty();
        }
        assertThat(recordConfigMaps(own)).as("ConfigMap records kept").hasSize(records);

        // The upgrade: bind its Role, start the new version, unbind it.
        own.bindRole(LocalCluster.UPGRADE_ROLE);
        try (KubernetesAdapter upgraded = adapter(own, config)) {
          assertEverythingOnce(upgraded);
        }
        assertThat(recordConfigMaps(own)).as("ConfigMap records left").isEmpty();
        own.unbindRole(LocalCluster.UPGRADE_ROLE);
        // RBAC changes reach the authorizer through its informer: wait until the list is refused.
        await()
            .atMost(Duration.ofSeconds(30))
            .until(
                () ->
                    new RecordMigration(connection)
                        .run()
                        .equals(RecordMigration.Moved.NOT_CHECKED));
        try (KubernetesAdapter afterwards = adapter(own, config)) {
          assertEverythingOnce(afterwards);
        }
      }
    }
  }

  @Test
  void aToolVersionRegisteredWhileTheRecordsWereHiddenKeepsItsNumberAndTheOldRecordStays() {
    try (LocalCluster own = LocalCluster.start()) {
      ConfigMap old = GoldenRecords.fixture("v1", "tool-v1-script-task-every-setting");
      own.admin().configMaps().inNamespace(own.namespace()).resource(old).create();
      KubernetesConfig config = KubernetesConfig.localCluster().inNamespace(own.namespace());
      // Started without the upgrade Role: the old version 1 is hidden, and a new one is registered.
      dev.toolrun.domain.tool.Tool registered =
          new dev.toolrun.domain.tool.Tool(
              GoldenRecords.TOOL,
              1,
              "registered since",
              dev.toolrun.domain.tool.ToolSpec.task(
                      new dev.toolrun.domain.tool.ContainerImage(
                          "kube-local.test/busybox:1", java.util.List.of(), java.util.List.of()))
                  .build(),
              GoldenRecords.T0.plusSeconds(3600));
      try (KubernetesAdapter hidden = adapter(own, config)) {
        hidden.tools().add(registered);
      }

      own.bindRole(LocalCluster.UPGRADE_ROLE);
      try (KubernetesCluster connection = KubernetesCluster.using(own.runner(), config)) {
        assertThat(new RecordMigration(connection).run())
            .as("the old record is left, not moved over the new version")
            .isEqualTo(new RecordMigration.Moved(0, 0, 1, true));
      }
      try (KubernetesAdapter upgraded = adapter(own, config)) {
        assertThat(upgraded.tools().versions(GoldenRecords.TOOL)).containsExactly(registered);
      }
      assertThat(recordConfigMaps(own))
          .extracting(c -> c.getMetadata().getName())
          .containsExactly(old.getMetadata().getName());
    }
  }

  /**
   * toolrun's adapter, started as the replica that writes starts it: observing the runs, which is
   * when the records are moved.
   */
  private static KubernetesAdapter adapter(LocalCluster in, KubernetesConfig config) {
    KubernetesAdapter adapter =
        KubernetesAdapter.using(
            in.runner(), config, new InMemoryLogStore(), java.time.Clock.systemUTC());
    adapter.runtime().observe(progress -> {});
    return adapter;
  }

  private static java.util.List<ConfigMap> recordConfigMaps(LocalCluster in) {
    return in.admin()
        .configMaps()
        .inNamespace(in.namespace())
        .withLabel(Records.RECORD)
        .list()
        .getItems();
  }

  private static void assertEverythingOnce(KubernetesAdapter toolrun) {
    assertThat(toolrun.tools().versions(GoldenRecords.TOOL))
        .containsExactlyElementsOf(GoldenRecords.tools().values());
    for (Map.Entry<String, Instance> golden : GoldenRecords.instances().entrySet()) {
      assertThat(toolrun.instances().find(golden.getValue().id()))
          .as(golden.getKey())
          .contains(golden.getValue());
    }
    assertThat(
            toolrun
                .instances()
                .list(
                    dev.toolrun.ports.out.InstanceFilter.ALL,
                    dev.toolrun.ports.out.PageRequest.first(500))
                .items())
        .as("each instance once")
        .hasSize(GoldenRecords.instances().size());
  }
}
