package dev.toolrun.adapter.k8s.runrequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.instance.SecretReference;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A ToolRun's spec read as the launch it asks for: here, its secrets by a Secret's reference. */
class RunRequestTest {

  private static GenericKubernetesResource run(Map<String, Object> spec) {
    return new GenericKubernetesResourceBuilder()
        .withApiVersion("toolrun.dev/v1alpha1")
        .withKind("ToolRun")
        .withNewMetadata()
        .withName("run-1")
        .endMetadata()
        .withAdditionalProperties(Map.of("spec", spec))
        .build();
  }

  private static ValidationException refusal(Map<String, Object> spec) {
    return catchThrowableOfType(ValidationException.class, () -> RunRequest.command(run(spec)));
  }

  @Test
  void aSecretRefIsLaunchedAsTheReferenceWithNoSecretValues() {
    LaunchInstanceCommand command =
        RunRequest.command(
            run(Map.of("tool", "deployer", "secretRef", Map.of("name", "deployer-tokens"))));

    assertThat(command.secretReference()).contains(new SecretReference("deployer-tokens"));
    assertThat(command.secrets().isEmpty()).isTrue();
  }

  @Test
  void withoutASecretRefTheLaunchHasNoReference() {
    assertThat(RunRequest.command(run(Map.of("tool", "greeter"))).secretReference()).isEmpty();
  }

  @Test
  void aSecretRefWithoutANameIsRefused() {
    assertThat(refusal(Map.of("tool", "deployer", "secretRef", Map.of())).violations())
        .extracting(Violation::field)
        .containsExactly("spec.secretRef.name");
    assertThat(refusal(Map.of("tool", "deployer", "secretRef", "tokens")).violations())
        .extracting(Violation::field)
        .containsExactly("spec.secretRef.name");
  }

  @Test
  void aSecretRefNamingNoPossibleSecretIsRefusedWithTheOtherViolations() {
    ValidationException e =
        refusal(Map.of("tool", "Not A Name", "secretRef", Map.of("name", "Tokens_1")));

    assertThat(e.violations())
        .extracting(Violation::field)
        .containsExactlyInAnyOrder("spec.tool", "spec.secretRef.name");
    assertThat(e.violations())
        .filteredOn(v -> v.field().equals("spec.secretRef.name"))
        .singleElement()
        .satisfies(v -> assertThat(v.message()).contains("'Tokens_1' is not a valid Secret name"));
  }
}
