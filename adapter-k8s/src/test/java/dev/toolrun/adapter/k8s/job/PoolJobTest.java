package dev.toolrun.adapter.k8s.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.Launches;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Parallelism;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.out.Launch;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warm pool's Job is the cold Job that waits for its inputs, and holds no secret value. */
class PoolJobTest {
  private static final Duration MAX_AGE = Duration.ofMinutes(30);
  private final JobFactory factory = new JobFactory(KubernetesConfig.localCluster(), true);
  private final Launch launch = Launches.pooled();

  private Job pool() {
    return factory.poolJob(launch.tool(), "toolrun-pool-test", MAX_AGE);
  }

  private Job cold() {
    return factory.desired(launch).job();
  }

  @Test
  void itRunsTheColdCommandOnceClaimed() {
    Container pool = container(pool());
    Container cold = container(cold());

    assertThat(pool.getCommand()).startsWith("sh", "-c");
    assertThat(pool.getCommand().subList(3, pool.getCommand().size()))
        .containsExactlyElementsOf(
            java.util.stream.Stream.concat(
                    List.of("toolrun-runner").stream(), cold.getCommand().stream())
                .toList());
    assertThat(pool.getImage()).isEqualTo(cold.getImage());
    assertThat(pool.getResources()).isEqualTo(cold.getResources());
    assertThat(pool.getSecurityContext()).isEqualTo(cold.getSecurityContext());
    assertThat(pool.getTerminationMessagePath()).isEqualTo(cold.getTerminationMessagePath());
  }

  @Test
  void itHasTheColdPodsPlacementIdentityAndVolumesAtTheSamePaths() {
    PodSpec pool = pool().getSpec().getTemplate().getSpec();
    PodSpec cold = cold().getSpec().getTemplate().getSpec();

    assertThat(pool.getServiceAccountName()).isEqualTo(cold.getServiceAccountName());
    assertThat(pool.getNodeSelector()).isEqualTo(cold.getNodeSelector());
    assertThat(pool.getTolerations()).isEqualTo(cold.getTolerations());
    assertThat(pool.getAffinity()).isEqualTo(cold.getAffinity());
    assertThat(pool.getSecurityContext()).isEqualTo(cold.getSecurityContext());
    assertThat(mountPaths(pool.getContainers().get(0)))
        .containsAll(mountPaths(cold.getContainers().get(0)))
        .contains(PoolRunner.CLAIM_DIR);
    // Where a cold run mounts its inputs ConfigMap, a pool pod has memory the claim fills.
    Volume inputs = volume(pool, JobFactory.INPUT_VOLUME);
    assertThat(inputs.getConfigMap()).isNull();
    assertThat(inputs.getEmptyDir().getMedium()).isEqualTo("Memory");
    assertThat(volume(pool, PoolRunner.CLAIM_VOLUME).getEmptyDir().getMedium()).isEqualTo("Memory");
  }

  @Test
  void itHoldsNoSecretNorAnythingOfARun() {
    Job pool = pool();
    String yaml = new KubernetesSerialization().asYaml(pool);

    assertThat(yaml).doesNotContain("s3cr3t-value").doesNotContain(Launches.ID.value());
    assertThat(container(pool).getEnv())
        .extracting(EnvVar::getName)
        .doesNotContain("API_TOKEN", "TOOLRUN_INSTANCE_ID")
        .contains("TOOLRUN_PARAMETERS_FILE", "TOOLRUN_RESULT_FILE", "GREETING");
    assertThat(container(pool).getEnv()).allMatch(e -> e.getValueFrom() == null);
    assertThat(pool.getMetadata().getLabels())
        .containsEntry(WorkloadLabels.POOL, WorkloadLabels.POOL_WAITING)
        .doesNotContainKey(WorkloadLabels.INSTANCE);
    assertThat(WorkloadLabels.waitingPool(pool.getMetadata().getLabels())).contains("word-count");
  }

  @Test
  void itMeetsTheRestrictedPodSecurityStandardAsTheColdJobDoes() {
    assertThat(RestrictedPodSecurityStandard.violations(cold().getSpec().getTemplate())).isEmpty();
    assertThat(RestrictedPodSecurityStandard.violations(pool().getSpec().getTemplate())).isEmpty();
  }

  @Test
  void itWaitsAtMostItsMaximumAgeAndIsNeverRetried() {
    Job pool = pool();

    assertThat(pool.getSpec().getActiveDeadlineSeconds()).isEqualTo(MAX_AGE.toSeconds());
    assertThat(pool.getSpec().getBackoffLimit()).isZero();
    assertThat(pool.getMetadata().getAnnotations())
        .containsEntry(
            JobFactory.POOL_TEMPLATE_ANNOTATION, factory.poolTemplateHash(launch.tool(), MAX_AGE));
  }

  @Test
  void onlyOnePodTasksWithAKnownCommandArePoolable() {
    assertThat(JobFactory.poolable(launch.tool().spec())).isTrue();
    assertThat(JobFactory.poolable(Launches.everything().tool().spec())).as("parallel").isFalse();
    assertThat(JobFactory.poolable(Launches.service().tool().spec())).as("service").isFalse();
    assertThat(JobFactory.poolable(ToolSpec.task(ContainerImage.of("busybox:1")).build()))
        .as("the image's own entrypoint")
        .isFalse();
    assertThat(
            JobFactory.poolable(
                ToolSpec.task(ContainerImage.of("busybox:1"))
                    .parallelism(Parallelism.SINGLE)
                    .retryLimit(1)
                    .build()))
        .as("retried")
        .isFalse();
  }

  /**
   * The claim's tar stream, unpacked by a real tar, holds what a cold run's ConfigMap and Secret
   * do.
   */
  @Test
  void theClaimBringsTheInputsAndTheEnvironmentOfTheRun(@TempDir Path dir) throws Exception {
    byte[] payload = factory.claimPayload(launch);
    Files.createDirectories(dir.resolve("input"));
    Files.createDirectories(dir.resolve("claim"));
    Process tar =
        new ProcessBuilder("tar", "-xf", "-", "-C", dir.toString())
            .redirectErrorStream(true)
            .start();
    tar.getOutputStream().write(payload);
    tar.getOutputStream().close();
    String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(tar.waitFor()).as(output).isZero();

    Map<String, String> configMap = factory.desired(launch).inputs().getData();
    for (Map.Entry<String, String> file : configMap.entrySet()) {
      assertThat(dir.resolve("input").resolve(file.getKey())).hasContent(file.getValue());
    }
    // Sourced by sh as the runner does: the same values the cold run's Secret gives.
    Process sh =
        new ProcessBuilder(
                "sh",
                "-c",
                ". \"$0\"; printf '%s|%s' \"$API_TOKEN\" \"$TOOLRUN_INSTANCE_ID\"",
                dir.resolve(PoolRunner.ENV_FILE).toString())
            .start();
    assertThat(new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("s3cr3t-value|" + Launches.ID.value());
  }

  @Test
  void secretValuesWithQuotesAndLinesSurviveTheEnvironmentFile(@TempDir Path dir) throws Exception {
    String tricky = "it's\n$HOME `x` \"q\" \\";
    Launch quoted =
        new Launch(
            launch.instance(),
            launch.tool(),
            new dev.toolrun.domain.instance.SecretValues(Map.of("API_TOKEN", tricky)));
    Files.createDirectories(dir.resolve("claim"));
    Files.createDirectories(dir.resolve("input"));
    Process tar = new ProcessBuilder("tar", "-xf", "-", "-C", dir.toString()).start();
    tar.getOutputStream().write(factory.claimPayload(quoted));
    tar.getOutputStream().close();
    assertThat(tar.waitFor()).isZero();

    Process sh =
        new ProcessBuilder(
                "sh",
                "-c",
                ". \"$0\"; printf '%s' \"$API_TOKEN\"",
                dir.resolve(PoolRunner.ENV_FILE).toString())
            .start();
    assertThat(new String(sh.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo(tricky);
  }

  private static Container container(Job job) {
    return job.getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  private static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream()
        .filter(v -> name.equals(v.getName()))
        .findFirst()
        .orElseThrow();
  }

  private static List<String> mountPaths(Container container) {
    return container.getVolumeMounts().stream()
        .map(m -> m.getMountPath())
        .collect(Collectors.toList());
  }
}
