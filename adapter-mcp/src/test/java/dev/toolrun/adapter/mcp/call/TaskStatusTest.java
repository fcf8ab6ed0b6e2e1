package dev.toolrun.adapter.mcp.call;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.InstanceState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every instance state has a task status, and only terminal states have a terminal one. */
class TaskStatusTest {
  @ParameterizedTest
  @EnumSource(InstanceState.class)
  void aTaskIsTerminalExactlyWhenItsInstanceIs(InstanceState state) {
    String status = TaskRequests.status(state);

    assertThat(status).isIn("working", "completed", "failed", "cancelled");
    assertThat(!status.equals("working")).isEqualTo(state.isTerminal());
  }

  @ParameterizedTest
  @EnumSource(
      value = InstanceState.class,
      names = {"SUCCEEDED", "FAILED", "TIMED_OUT", "CANCELLED"})
  void aTaskToolsOutcomeIsItsStatus(InstanceState state) {
    assertThat(TaskRequests.status(state))
        .isEqualTo(
            switch (state) {
              case SUCCEEDED -> "completed";
              case CANCELLED -> "cancelled";
              default -> "failed";
            });
  }
}
