package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
 * toolrun's Role, on the real API server.
 */
class RecordMigrationClusterIT {
  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() {
    LocalCluster.installCrds();
    cluster = LocalCluster.start();
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
                  GoldenRecords.tools().size(), GoldenRecords.instances().size(), 0));
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
          .isEqualTo(new RecordMigration.Moved(0, 0, 0));
    }
  }
}
