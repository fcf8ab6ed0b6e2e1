package dev.toolrun.adapter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.Scheduling;
import dev.toolrun.domain.tool.ScriptLanguage;
import dev.toolrun.domain.tool.Toleration;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KubernetesConfigTest {
  /** Every component set to something other than its default. */
  private static final KubernetesConfig EVERYTHING =
      KubernetesConfig.builder()
          .namespace("tools")
          .kubeconfig(Optional.of(Path.of("/etc/kubeconfig")))
          .context(Optional.of("prod"))
          .defaultTimeout(Duration.ofMinutes(5))
          .defaultCleanupPolicy(CleanupPolicy.NEVER)
          .serviceAccount(Optional.of("runner"))
          .imagePullSecret(Optional.of("registry"))
          .defaultScheduling(
              new Scheduling(
                  new java.util.TreeMap<>(Map.of("pool", "tools")),
                  List.of(
                      new Toleration(
                          Optional.of("dedicated"),
                          Toleration.Operator.EXISTS,
                          Optional.empty(),
                          Optional.empty(),
                          Optional.empty())),
                  dev.toolrun.domain.tool.Affinity.NONE))
          .scriptImages(Map.of(ScriptLanguage.SHELL, "busybox:1"))
          .imagePullPolicy(ImagePullPolicy.ALWAYS)
          .istioSidecar(true)
          .rateLimit(new ApiRateLimit(5, 10))
          .imagePullGrace(Duration.ofSeconds(30))
          .unschedulableGrace(Duration.ofSeconds(90))
          .serviceAccess(ServiceAccess.DIRECT)
          .serviceProxyRateLimit(new ApiRateLimit(50, 100))
          .isolationAllowedCidrs(List.of("10.0.0.0/8"))
          .restrictedPodSecurity(false)
          .pools(Map.of("greeter", 2))
          .poolMaxAge(Duration.ofMinutes(10))
          .records(RecordStore.CONFIG_MAPS)
          .queuePositionRefresh(Duration.ofSeconds(2))
          .build();

  @Test
  void theTestConfigurationDiffersFromTheDefaultsInEveryComponent() throws Exception {
    KubernetesConfig defaults = KubernetesConfig.defaults();
    for (RecordComponent component : KubernetesConfig.class.getRecordComponents()) {
      assertThat(component.getAccessor().invoke(EVERYTHING))
          .as("%s: set it in EVERYTHING when adding a component", component.getName())
          .isNotEqualTo(component.getAccessor().invoke(defaults));
    }
  }

  @Test
  void aCopyKeepsEveryComponent() {
    assertThat(EVERYTHING.toBuilder().build()).isEqualTo(EVERYTHING);
  }

  @Test
  void withersChangeOnlyWhatTheyName() {
    KubernetesConfig moved = EVERYTHING.inNamespace("elsewhere");

    assertThat(moved.namespace()).isEqualTo("elsewhere");
    assertThat(moved.toBuilder().namespace("tools").build()).isEqualTo(EVERYTHING);
    assertThat(EVERYTHING.withScriptImages(Map.of()).scriptImages()).isEmpty();
  }

  @Test
  void theBuilderStartsFromTheDefaults() {
    assertThat(KubernetesConfig.builder().build()).isEqualTo(KubernetesConfig.defaults());
    assertThat(KubernetesConfig.defaults().namespace()).isEqualTo("default");
    assertThat(KubernetesConfig.defaults().restrictedPodSecurity()).isTrue();
    assertThat(KubernetesConfig.localCluster().scriptImages())
        .containsKeys(ScriptLanguage.PYTHON, ScriptLanguage.SHELL);
  }

  @Test
  void theBuilderChecksWhatItBuilds() {
    assertThatThrownBy(() -> EVERYTHING.toBuilder().namespace("Not A Namespace").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("kubernetes.namespace");
  }
}
