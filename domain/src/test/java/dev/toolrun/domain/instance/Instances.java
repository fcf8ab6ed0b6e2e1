package dev.toolrun.domain.instance;

import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolMode;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Instances of a known shape for tests. */
final class Instances {
  static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
  static final Instant LATER = START.plusSeconds(60);
  static final InstanceId ID = new InstanceId("0193a9b2-7c1d-7aaa-8bbb-0123456789ab");

  private Instances() {}

  static Tool tool(ToolMode mode) {
    ToolSpec spec =
        mode == ToolMode.TASK
            ? ToolSpec.task(ContainerImage.of("busybox:1")).build()
            : ToolSpec.service(ContainerImage.of("busybox:1"), ServiceSettings.http(8080)).build();
    return Tool.first(new ToolName("echo"), "echoes", spec, START);
  }

  static Instance pending(ToolMode mode) {
    return Instance.launch(ID, tool(mode), Parameters.NONE, Set.of(), Optional.empty(), START);
  }

  /**
   * An instance whose record says {@code state}, whether or not the lifecycle can reach it in
   * {@code mode}: the transition tests need every (from, to) pair.
   */
  static Instance in(InstanceState state, ToolMode mode) {
    Instance p = pending(mode);
    List<StateChange> history = new ArrayList<>(p.history());
    if (state != InstanceState.PENDING) {
      history.add(new StateChange(state, START.plus(Duration.ofSeconds(1))));
    }
    Optional<FailureReason> failure =
        switch (state) {
          case FAILED -> Optional.of(new FailureReason.ExitedNonZero(1));
          case TIMED_OUT -> Optional.of(new FailureReason.DeadlineExceeded(Duration.ofSeconds(5)));
          case CANCELLED -> Optional.of(new FailureReason.Cancelled());
          default -> Optional.empty();
        };
    return new Instance(
        p.id(),
        p.toolName(),
        p.toolVersion(),
        mode,
        p.parameters(),
        p.secretNames(),
        p.secretReference(),
        p.idempotencyKey(),
        state,
        history,
        failure,
        Optional.empty(),
        Optional.empty(),
        ServiceHealth.UNCHECKED,
        0,
        Optional.empty(),
        Optional.empty());
  }
}
