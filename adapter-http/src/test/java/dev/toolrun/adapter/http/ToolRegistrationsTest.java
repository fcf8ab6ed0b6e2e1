package dev.toolrun.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A registration read from a JSON object, as a Tool custom resource hands it over. */
class ToolRegistrationsTest {

  @Test
  void readsWhatAPutWouldWithItsDefaults() {
    RegisterToolCommand command =
        ToolRegistrations.read(
            "greeter",
            Map.of(
                "description",
                "says hello",
                "spec",
                Map.of("mode", "TASK", "image", Map.of("name", "busybox:1.36"))));

    assertThat(command)
        .isEqualTo(
            new RegisterToolCommand(
                new ToolName("greeter"),
                "says hello",
                ToolSpec.task(ContainerImage.of("busybox:1.36")).build()));
  }

  @Test
  void listsEveryViolationAtTheRestApisPaths() {
    Map<String, Object> body =
        Map.of(
            "spec",
            Map.of(
                "mode",
                "TASK",
                "image",
                Map.of("name", "busybox:1.36"),
                "resources",
                Map.of("cpu", Map.of("limit", "lots")),
                "retryLimit",
                99));

    assertThatThrownBy(() -> ToolRegistrations.read("Not_A_Name", body))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e ->
                assertThat(e.violations())
                    .extracting(Violation::field)
                    .containsExactlyInAnyOrder(
                        "name", "spec.resources.cpu.limit", "spec.retryLimit"));
  }
}
