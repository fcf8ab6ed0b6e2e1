package dev.toolrun.domain.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ToolSpecTest {

  private static final Script SCRIPT = Script.of(ScriptLanguage.PYTHON, "print('hi')");

  @Test
  void defaultsAreRestrictiveAndLeaveRuntimeDefaultsOpen() {
    ToolSpec spec = ToolSpec.task(SCRIPT).build();

    assertThat(spec.security()).isEqualTo(SecuritySettings.RESTRICTED);
    assertThat(spec.security().meetsRestrictedStandard()).isTrue();
    assertThat(spec.security().readOnlyRootFilesystem()).isTrue();
    assertThat(spec.parallelism()).isEqualTo(Parallelism.SINGLE);
    assertThat(spec.retryLimit()).isZero();
    assertThat(spec.timeout()).isEmpty();
    assertThat(spec.effectiveTimeout(ToolSpec.DEFAULT_TIMEOUT)).isEqualTo(Duration.ofSeconds(3600));
    assertThat(spec.cleanupPolicy()).isEmpty();
  }

  @Test
  void everyViolationIsReportedAtOnce() {
    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                ToolSpec.task(SCRIPT)
                    .env("1BAD", "x")
                    .env("TOOLRUN_MINE", "x")
                    .secretInput("API_TOKEN")
                    .env("API_TOKEN", "plain")
                    .timeout(Duration.ofDays(8))
                    .retryLimit(11)
                    .build());

    assertThat(e.violations())
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("env", "env", "secretInputs", "timeoutSeconds", "retryLimit");
  }

  @Test
  void listsThatWouldMakeAPodSpecUnreasonablyLargeAreBounded() {
    Toleration toleration =
        new Toleration(
            Optional.of("spot"),
            Toleration.Operator.EXISTS,
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    PodAffinityRule rule =
        new PodAffinityRule(
            java.util.Map.of("app", "db"), "kubernetes.io/hostname", Optional.empty());
    List<PodAffinityRule> rules = java.util.Collections.nCopies(Affinity.MAX_ENTRIES + 1, rule);

    assertThatThrownBy(
            () ->
                new Scheduling(
                    new java.util.TreeMap<>(),
                    java.util.Collections.nCopies(Scheduling.MAX_TOLERATIONS + 1, toleration),
                    Affinity.NONE))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("tolerations")
        .hasMessageContaining("at most 64");
    assertThat(
            catchThrowableOfType(
                    ValidationException.class, () -> new Affinity(List.of(), rules, rules))
                .violations())
        .extracting(Violation::field)
        .containsExactly("affinity.podAffinity", "affinity.podAntiAffinity");
    ToolSpec.Builder manyVolumes = ToolSpec.task(SCRIPT);
    for (int i = 0; i <= ToolSpec.MAX_VOLUMES; i++) {
      manyVolumes.volume(new VolumeClaimMount("data-" + i, "/data/" + i, true));
    }
    assertThatThrownBy(manyVolumes::build)
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("at most 64 claims");
  }

  @Test
  void aServiceNeedsServiceSettingsAndOnePod() {
    ToolSpec service = ToolSpec.service(SCRIPT, ServiceSettings.http(8080)).build();
    assertThat(service.mode()).isEqualTo(ToolMode.SERVICE);

    assertThatThrownBy(
            () ->
                ToolSpec.service(SCRIPT, ServiceSettings.http(8080))
                    .parallelism(new Parallelism(2, 2))
                    .build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("a service runs exactly one pod");
  }

  @Test
  void aTaskMayNotCarryServiceSettings() {
    assertThatThrownBy(
            () ->
                new ToolSpec(
                    SCRIPT,
                    ToolMode.TASK,
                    Resources.NONE,
                    new java.util.TreeMap<>(),
                    new java.util.TreeSet<>(),
                    Scheduling.ANYWHERE,
                    SecuritySettings.RESTRICTED,
                    Optional.empty(),
                    Optional.empty(),
                    List.of(),
                    Parallelism.SINGLE,
                    Optional.empty(),
                    0,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(ServiceSettings.http(8080)),
                    Optional.empty(),
                    Optional.empty()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("service: only applies to tools in SERVICE mode");
  }

  @Test
  void equalSpecsMakeNoNewVersion() {
    ToolSpec a =
        ToolSpec.task(SCRIPT)
            .resources(
                new Resources(
                    ResourceRange.of("1", "2"), ResourceRange.of(null, "1Gi"), Optional.empty()))
            .build();
    ToolSpec b =
        ToolSpec.task(SCRIPT)
            .resources(
                new Resources(
                    ResourceRange.of("1000m", "2"),
                    ResourceRange.of(null, "1024Mi"),
                    Optional.empty()))
            .build();
    Tool v1 = Tool.first(new ToolName("t"), "d", a, java.time.Instant.EPOCH);

    assertThat(v1.isDefinedAs("d", b)).isTrue();
    assertThat(v1.isDefinedAs("other", b)).isFalse();
    assertThat(v1.next("other", b, java.time.Instant.EPOCH).version()).isEqualTo(2);
  }

  @Test
  void rootIsRefusedUnderRunAsNonRoot() {
    assertThatThrownBy(
            () ->
                new SecuritySettings(true, Optional.of(0L), true, false, List.of("ALL"), List.of()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("runAsUser");
  }

  @Test
  void cleanupPoliciesDecideByOutcome() {
    assertThat(CleanupPolicy.ALWAYS.deletes(true)).isTrue();
    assertThat(CleanupPolicy.ALWAYS.deletes(false)).isTrue();
    assertThat(CleanupPolicy.ON_SUCCESS.deletes(true)).isTrue();
    assertThat(CleanupPolicy.ON_SUCCESS.deletes(false)).isFalse();
    assertThat(CleanupPolicy.ON_FAILURE.deletes(true)).isFalse();
    assertThat(CleanupPolicy.ON_FAILURE.deletes(false)).isTrue();
    assertThat(CleanupPolicy.NEVER.deletes(true)).isFalse();
    assertThat(CleanupPolicy.NEVER.deletes(false)).isFalse();
  }

  @Test
  void schedulingRulesValidateTheirLabels() {
    assertThatThrownBy(
            () ->
                new Toleration(
                    Optional.empty(),
                    Toleration.Operator.EQUAL,
                    Optional.of("v"),
                    Optional.empty(),
                    Optional.empty()))
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("key: is required when operator is EQUAL");
    assertThatThrownBy(() -> new LabelRequirement("zone", LabelRequirement.Operator.IN, List.of()))
        .isInstanceOf(ValidationException.class);
    assertThat(
            new LabelRequirement(
                    "kubernetes.io/hostname", LabelRequirement.Operator.IN, List.of("localhost"))
                .values())
        .containsExactly("localhost");
  }

  @Test
  void gpusNeedAnExtendedResourceName() {
    assertThat(new Gpu(1, Gpu.DEFAULT_RESOURCE).resourceName()).isEqualTo("nvidia.com/gpu");
    assertThatThrownBy(() -> new Gpu(1, "gpu")).isInstanceOf(ValidationException.class);
    assertThatThrownBy(() -> new Gpu(0, "nvidia.com/gpu")).isInstanceOf(ValidationException.class);
  }

  private static final JsonSchema NAMED =
      new JsonSchema(
          Map.of(
              "type",
              "object",
              "required",
              List.of("name"),
              "properties",
              Map.of("name", Map.of("type", "string"))));

  @Test
  void schemasArePartOfTheSpecsIdentity() {
    ToolSpec plain = ToolSpec.task(SCRIPT).build();
    ToolSpec typed = ToolSpec.task(SCRIPT).inputSchema(NAMED).build();
    ToolSpec typedAgain =
        ToolSpec.task(SCRIPT)
            .inputSchema(
                new JsonSchema(
                    Map.of(
                        "properties",
                        Map.of("name", Map.of("type", "string")),
                        "required",
                        List.of("name"),
                        "type",
                        "object")))
            .build();
    ToolSpec typedOutput = ToolSpec.task(SCRIPT).inputSchema(NAMED).outputSchema(NAMED).build();

    assertThat(typed).isNotEqualTo(plain).isEqualTo(typedAgain);
    assertThat(typedOutput).isNotEqualTo(typed);
  }

  @Test
  void anInputSchemaMustDescribeAnObject() {
    assertThatThrownBy(
            () ->
                ToolSpec.task(SCRIPT)
                    .inputSchema(new JsonSchema(Map.of("type", List.of("object", "null"))))
                    .build())
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .containsExactly("inputSchema/type"));
    assertThatThrownBy(
            () ->
                ToolSpec.task(SCRIPT)
                    .inputSchema(new JsonSchema(Map.of("properties", Map.of())))
                    .build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("inputSchema/type");
  }

  @Test
  void anInputSchemaMayNotNameASecretInput() {
    JsonSchema naming =
        new JsonSchema(
            Map.of(
                "type",
                "object",
                "required",
                List.of("API_TOKEN"),
                "properties",
                Map.of("DB_PASSWORD", Map.of("type", "string"))));

    ValidationException e =
        catchThrowableOfType(
            ValidationException.class,
            () ->
                ToolSpec.task(SCRIPT)
                    .secretInput("API_TOKEN")
                    .secretInput("DB_PASSWORD")
                    .inputSchema(naming)
                    .build());

    assertThat(e.violations())
        .extracting(Violation::field)
        .containsExactlyInAnyOrder(
            "inputSchema/properties/DB_PASSWORD", "inputSchema/properties/API_TOKEN");
  }

  @Test
  void aServiceHasNoOutputSchema() {
    assertThatThrownBy(
            () ->
                ToolSpec.service(SCRIPT, ServiceSettings.http(8080))
                    .inputSchema(NAMED)
                    .outputSchema(NAMED)
                    .build())
        .isInstanceOf(ValidationException.class)
        .hasMessageContaining("outputSchema: only applies to TASK tools");
  }
}
