package dev.toolrun.adapter.k8s.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.adapter.k8s.KubernetesConfig;
import dev.toolrun.adapter.k8s.Launches;
import dev.toolrun.domain.error.RuntimeRejectedException;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.ScriptLanguage;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.VersionInfo;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JobFactoryTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /**
   * The expected YAML in {@code file}. With {@code -Dtoolrun.golden.update=true} the file is
   * rewritten from {@code actual} first: review the diff before committing it.
   */
  private static String golden(String file, String actual) throws IOException {
    if (Boolean.getBoolean("toolrun.golden.update")) {
      Files.writeString(Path.of("src/test/resources/dev/toolrun/adapter/k8s", file), actual);
    }
    try (InputStream in = JobFactoryTest.class.getResourceAsStream(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void assertYaml(Object object, String file) throws IOException {
    String actual = SERIALIZATION.asYaml(object);
    assertThat(actual).isEqualTo(golden(file, actual));
  }

  @Test
  void buildsExactlyTheExpectedObjectsForAToolThatUsesEverySetting() throws IOException {
    WorkloadObjects objects =
        new JobFactory(KubernetesConfig.localCluster(), true).desired(Launches.everything());

    assertYaml(objects.job(), "everything-job.yaml");
    assertYaml(objects.inputs(), "everything-configmap.yaml");
    assertYaml(objects.secrets().orElseThrow(), "everything-secret.yaml");
  }

  @Test
  void anImageToolOnAServerWithoutTheSeccompFieldGetsTheAnnotation() throws IOException {
    WorkloadObjects objects =
        new JobFactory(KubernetesConfig.defaults(), false)
            .desired(
                Launches.image("kube-local.test/busybox:1", List.of("sh", "-c", "echo hello")));

    assertYaml(objects.job(), "plain-job.yaml");
    assertThat(objects.secrets()).isEmpty();
  }

  @Test
  void aServiceExposesItsPortRunsWithoutDeadlineAndIsIsolated() throws IOException {
    KubernetesConfig config =
        KubernetesConfig.localCluster().toBuilder()
            .defaultTimeout(java.time.Duration.ofSeconds(3600))
            .isolationAllowedCidrs(List.of("10.0.0.0/8"))
            .build();
    WorkloadObjects objects = new JobFactory(config, true).desired(Launches.service());

    assertYaml(objects.job(), "service-job.yaml");
    assertYaml(objects.networkPolicy().orElseThrow(), "service-networkpolicy.yaml");
    assertThat(objects.job().getSpec().getActiveDeadlineSeconds()).isNull();
    assertThat(objects.job().getSpec().getBackoffLimit()).as("restarts").isEqualTo(2);
    assertThat(RestrictedPodSecurityStandard.violations(objects.job().getSpec().getTemplate()))
        .isEmpty();
  }

  @Test
  void secretValuesAppearOnlyInTheSecret() {
    WorkloadObjects objects =
        new JobFactory(KubernetesConfig.localCluster(), true).desired(Launches.everything());

    assertThat(SERIALIZATION.asYaml(objects.job())).doesNotContain("s3cr3t-value");
    assertThat(SERIALIZATION.asYaml(objects.inputs())).doesNotContain("s3cr3t-value");
    assertThat(objects.secrets().orElseThrow().getStringData())
        .containsEntry("API_TOKEN", "s3cr3t-value");
  }

  @Test
  void secretsGivenByReferenceComeFromTheUsersSecretAndTheRunMakesNoneOfItsOwn() {
    JobFactory factory = new JobFactory(KubernetesConfig.localCluster(), true);
    WorkloadObjects byValue = factory.desired(Launches.everything());
    WorkloadObjects byReference = factory.desired(Launches.bySecretReference("word-count-tokens"));

    assertThat(byReference.secrets()).isEmpty();
    assertThat(byReference.count()).isEqualTo(byValue.count() - 1);
    var env = byReference.job().getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertThat(env)
        .filteredOn(e -> e.getValueFrom() != null)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getName()).isEqualTo("API_TOKEN");
              var ref = e.getValueFrom().getSecretKeyRef();
              assertThat(ref.getName()).isEqualTo("word-count-tokens");
              assertThat(ref.getKey()).isEqualTo("API_TOKEN");
              assertThat(ref.getOptional()).isFalse();
            });
    // Apart from where the value comes from, the Job is the one a launch with the value gets.
    Job expected = byValue.job();
    expected.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
        .filter(e -> e.getValueFrom() != null)
        .forEach(e -> e.getValueFrom().getSecretKeyRef().setName("word-count-tokens"));
    assertThat(SERIALIZATION.asYaml(byReference.job())).isEqualTo(SERIALIZATION.asYaml(expected));
  }

  @Test
  void theNameIsAValidJobNameDerivedFromTheInstanceId() {
    Job job =
        new JobFactory(KubernetesConfig.localCluster(), true).desired(Launches.everything()).job();

    String name = job.getMetadata().getName();
    assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    assertThat(name).isEqualTo(WorkloadLabels.objectName(Launches.ID));
    assertThat(WorkloadLabels.instanceOf(job.getMetadata().getLabels())).contains(Launches.ID);
  }

  @Test
  void everyPodMeetsTheRestrictedPodSecurityStandard() {
    for (boolean seccompField : List.of(true, false)) {
      JobFactory factory = new JobFactory(KubernetesConfig.localCluster(), seccompField);
      for (var launch : List.of(Launches.everything(), Launches.image("busybox:1", List.of()))) {
        Job job = factory.desired(launch).job();

        assertThat(RestrictedPodSecurityStandard.violations(job.getSpec().getTemplate()))
            .as("seccomp field %s, tool %s", seccompField, launch.tool().name())
            .isEmpty();
      }
    }
  }

  @Test
  void theRestrictedStandardCheckerCatchesAViolation() {
    Job job =
        new JobFactory(KubernetesConfig.localCluster(), true).desired(Launches.everything()).job();
    var container =
        job.getSpec().getTemplate().getSpec().getContainers().get(0).getSecurityContext();
    container.setAllowPrivilegeEscalation(true);
    container.setRunAsNonRoot(null);
    job.getSpec().getTemplate().getSpec().setSecurityContext(null);

    assertThat(RestrictedPodSecurityStandard.violations(job.getSpec().getTemplate()))
        .anyMatch(v -> v.contains("allowPrivilegeEscalation"))
        .anyMatch(v -> v.contains("runAsNonRoot"))
        .anyMatch(v -> v.contains("seccomp"));
  }

  @Test
  void aScriptWithoutAnImageForItsLanguageIsRefusedWithTheSettingToFix() {
    JobFactory factory =
        new JobFactory(
            KubernetesConfig.defaults().withScriptImages(Map.of(ScriptLanguage.SHELL, "busybox:1")),
            true);

    assertThatThrownBy(() -> factory.desired(Launches.everything()))
        .isInstanceOf(RuntimeRejectedException.class)
        .hasMessageContaining("kubernetes.script-image.python");
  }

  /**
   * A launch of a script tool with the largest script the domain takes, parameters of {@code
   * parameterBytes} and {@code secrets} secrets of the largest value the domain takes.
   */
  private static dev.toolrun.ports.out.Launch largest(int parameterBytes, int secrets) {
    var spec =
        dev.toolrun.domain.tool.ToolSpec.task(
            dev.toolrun.domain.tool.Script.of(
                dev.toolrun.domain.tool.ScriptLanguage.SHELL,
                "#".repeat(dev.toolrun.domain.tool.Script.MAX_SOURCE_BYTES)));
    Map<String, String> values = new java.util.TreeMap<>();
    for (int i = 0; i < secrets; i++) {
      spec.secretInput("S" + i);
      values.put("S" + i, "s".repeat(dev.toolrun.domain.instance.SecretValues.MAX_VALUE_BYTES));
    }
    dev.toolrun.domain.tool.Tool tool =
        dev.toolrun.domain.tool.Tool.first(
            new dev.toolrun.domain.tool.ToolName("big"), "", spec.build(), Launches.T0);
    // {"p":"..."}: eight bytes around the value.
    Parameters parameters = new Parameters(Map.of("p", "x".repeat(parameterBytes - 8)));
    var instance =
        dev.toolrun.domain.instance.Instance.launch(
            Launches.ID,
            tool,
            parameters,
            values.keySet(),
            java.util.Optional.empty(),
            Launches.T0);
    return new dev.toolrun.ports.out.Launch(
        instance, tool, new dev.toolrun.domain.instance.SecretValues(values));
  }

  @Test
  void aLaunchWhoseInputsOrSecretsCouldNeverBeCreatedIsRefusedBeforeItIsRecorded() {
    int script = dev.toolrun.domain.tool.Script.MAX_SOURCE_BYTES;
    // What fits a record (512 KiB of launch) beside the largest script does not fit a ConfigMap.
    var tooManyInputs = largest(JobFactory.INPUTS_MAX_BYTES - script + 1, 1);
    // 16 secrets of 64 Ki characters, each within the domain's bound, together over the Secret's.
    var tooManySecrets = largest(10, 16);

    assertRefused(
        tooManyInputs, "parameters", Integer.toString(JobFactory.INPUTS_MAX_BYTES), "ConfigMap");
    assertRefused(
        tooManySecrets, "secrets", Integer.toString(JobFactory.SECRETS_MAX_BYTES), "Secret");
    JobFactory.checkFits(largest(JobFactory.INPUTS_MAX_BYTES - script, 15));
    JobFactory.checkFits(Launches.everything());
  }

  private static void assertRefused(
      dev.toolrun.ports.out.Launch launch, String field, String... saying) {
    assertThatThrownBy(() -> JobFactory.checkFits(launch))
        .isInstanceOfSatisfying(
            dev.toolrun.domain.error.ValidationException.class,
            e ->
                assertThat(e.violations())
                    .singleElement()
                    .satisfies(
                        v -> {
                          assertThat(v.field()).isEqualTo(field);
                          assertThat(v.message()).contains(saying);
                        }));
  }

  @Test
  void inputsThatDoNotFitAConfigMapAreRefused() {
    var launch = Launches.everything();
    var huge =
        new dev.toolrun.ports.out.Launch(
            new dev.toolrun.domain.instance.Instance(
                launch.instance().id(),
                launch.instance().toolName(),
                launch.instance().toolVersion(),
                launch.instance().mode(),
                new Parameters(Map.of("blob", "x".repeat(1100 * 1024))),
                launch.instance().secretNames(),
                launch.instance().secretReference(),
                launch.instance().idempotencyKey(),
                launch.instance().state(),
                launch.instance().history(),
                launch.instance().failure(),
                launch.instance().exitCode(),
                launch.instance().result(),
                launch.instance().health(),
                launch.instance().restarts(),
                launch.instance().logTail(),
                launch.instance().start()),
            launch.tool(),
            launch.secrets());

    assertThatThrownBy(() -> new JobFactory(KubernetesConfig.localCluster(), true).desired(huge))
        .isInstanceOf(RuntimeRejectedException.class)
        .hasMessageContaining("ConfigMap");
  }

  @Test
  void theSeccompFieldIsUsedFromKubernetes119On() {
    assertThat(JobFactory.supportsSeccompField(version("1", "18"))).isFalse();
    assertThat(JobFactory.supportsSeccompField(version("1", "19"))).isTrue();
    assertThat(JobFactory.supportsSeccompField(version("1", "20+")))
        .as("as EKS and GKE write it")
        .isTrue();
    assertThat(JobFactory.supportsSeccompField(version("2", "0"))).isTrue();
    assertThat(
            JobFactory.forServer(KubernetesConfig.localCluster(), version("1", "18"))
                .desired(Launches.everything())
                .job()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getSecurityContext()
                .getSeccompProfile())
        .isNull();
  }

  private static VersionInfo version(String major, String minor) {
    return new VersionInfo.Builder().withMajor(major).withMinor(minor).build();
  }

  @Test
  void aJobsCleanupPolicyIsReadBackFromItsAnnotation() {
    Job job =
        new JobFactory(KubernetesConfig.localCluster(), true).desired(Launches.everything()).job();
    CleanupPolicy written =
        CleanupPolicy.valueOf(
            job.getMetadata().getAnnotations().get(JobFactory.CLEANUP_ANNOTATION));

    assertThat(JobFactory.cleanupPolicy(job)).contains(written);
    job.getMetadata().getAnnotations().put(JobFactory.CLEANUP_ANNOTATION, "SOMETIMES");
    assertThat(JobFactory.cleanupPolicy(job)).as("written by a newer toolrun").isEmpty();
    job.getMetadata().setAnnotations(null);
    assertThat(JobFactory.cleanupPolicy(job)).isEmpty();
  }
}
