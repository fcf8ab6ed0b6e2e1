package dev.toolrun.application;

import static dev.toolrun.application.InMemoryToolrun.BUSYBOX_TASK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.error.Violation;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.SecuritySettings;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.ListToolVersionsUseCase.ListToolVersionsQuery;
import dev.toolrun.ports.in.RegisterToolUseCase.Registration;
import dev.toolrun.ports.out.RuntimeCapabilities;
import dev.toolrun.ports.out.RuntimeCapabilities.Capability;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegisterToolServiceTest {
  private final InMemoryToolrun toolrun = new InMemoryToolrun(Capacity.DEFAULT);

  @AfterEach
  void close() {
    toolrun.close();
  }

  @Test
  void registeringAnUnchangedDefinitionAgainKeepsTheSameVersion() {
    Registration first = toolrun.register("echo", BUSYBOX_TASK);
    Registration again =
        toolrun.register("echo", ToolSpec.task(ContainerImage.of("busybox:1")).build());

    assertThat(first.created()).isTrue();
    assertThat(again.created()).isFalse();
    assertThat(again.tool()).isEqualTo(first.tool());
    assertThat(versions("echo")).containsExactly(1);
  }

  @Test
  void aChangedDefinitionMakesTheNextVersion() {
    toolrun.register("echo", BUSYBOX_TASK);

    Registration changed =
        toolrun.register("echo", ToolSpec.task(ContainerImage.of("busybox:2")).build());
    Registration unchanged =
        toolrun.register("echo", ToolSpec.task(ContainerImage.of("busybox:2")).build());

    assertThat(changed.created()).isTrue();
    assertThat(changed.tool().version()).isEqualTo(2);
    assertThat(unchanged.created()).isFalse();
    assertThat(unchanged.tool().version()).isEqualTo(2);
    assertThat(versions("echo")).containsExactly(1, 2);
  }

  @Test
  void aRuntimeThatEnforcesTheRestrictedStandardRefusesToolsThatBreakIt() {
    try (InMemoryToolrun restricted =
        new InMemoryToolrun(
            Capacity.DEFAULT,
            runtime ->
                new DelegatingRuntime(runtime) {
                  @Override
                  public RuntimeCapabilities capabilities() {
                    return super.capabilities().with(Capability.RESTRICTED_POD_SECURITY, true);
                  }
                })) {
      ToolSpec asRoot =
          ToolSpec.task(ContainerImage.of("busybox:1"))
              .security(
                  new SecuritySettings(
                      false, Optional.of(0L), true, false, List.of("ALL"), List.of()))
              .build();

      ValidationException refused =
          catchThrowableOfType(
              ValidationException.class, () -> restricted.register("as-root", asRoot));

      assertThat(refused.violations())
          .extracting(Violation::field)
          .containsExactly("spec.security");
      assertThat(refused).hasMessageContaining("restricted Pod Security Standard");
      assertThat(restricted.register("restricted", BUSYBOX_TASK).created()).isTrue();
      assertThat(toolrun.register("as-root", asRoot).created())
          .as("a runtime that does not enforce it")
          .isTrue();
    }
  }

  private List<Integer> versions(String name) {
    return toolrun
        .app
        .listToolVersions()
        .versions(new ListToolVersionsQuery(new ToolName(name)))
        .stream()
        .map(Tool::version)
        .toList();
  }
}
