package dev.toolrun.domain.instance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.domain.error.IllegalTransitionException;
import dev.toolrun.domain.tool.ToolMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InstanceStateTest {

  /** The lifecycle written out by hand: any change to the table must change this test too. */
  private static final Map<ToolMode, Map<InstanceState, String>> EXPECTED =
      Map.of(
          ToolMode.TASK,
          Map.of(
              InstanceState.PENDING, "CREATING FAILED CANCELLED",
              InstanceState.CREATING, "STARTING FAILED CANCELLED",
              InstanceState.STARTING, "RUNNING SUCCEEDED FAILED TIMED_OUT CANCELLED",
              InstanceState.RUNNING, "SUCCEEDED FAILED TIMED_OUT CANCELLED"),
          ToolMode.SERVICE,
          Map.of(
              InstanceState.PENDING, "CREATING FAILED STOPPED",
              InstanceState.CREATING, "STARTING FAILED STOPPING",
              InstanceState.STARTING, "RUNNING FAILED STOPPING",
              InstanceState.RUNNING, "SERVING STARTING FAILED STOPPING",
              InstanceState.SERVING, "STARTING FAILED STOPPING",
              InstanceState.STOPPING, "STOPPED"));

  static Stream<Arguments> everyTransition() {
    List<Arguments> all = new ArrayList<>();
    for (ToolMode mode : ToolMode.values()) {
      for (InstanceState from : InstanceState.values()) {
        for (InstanceState to : InstanceState.values()) {
          all.add(Arguments.of(mode, from, to, expectedNext(mode, from).contains(to)));
        }
      }
    }
    return all.stream();
  }

  private static Set<InstanceState> expectedNext(ToolMode mode, InstanceState from) {
    String names = EXPECTED.get(mode).getOrDefault(from, "");
    return names.isEmpty()
        ? EnumSet.noneOf(InstanceState.class)
        : Arrays.stream(names.split(" "))
            .map(InstanceState::valueOf)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(InstanceState.class)));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2} allowed={3}")
  @MethodSource("everyTransition")
  void theTableAllowsExactlyTheDocumentedTransitions(
      ToolMode mode, InstanceState from, InstanceState to, boolean allowed) {
    assertThat(from.canTransitionTo(to, mode)).isEqualTo(allowed);
  }

  @ParameterizedTest(name = "{0}: {1} -> {2} allowed={3}")
  @MethodSource("everyTransition")
  void anInstanceFollowsTheTable(
      ToolMode mode, InstanceState from, InstanceState to, boolean allowed) {
    Instance instance = Instances.in(from, mode);
    if (from == to) {
      assertThat(move(instance, to)).isSameAs(instance);
    } else if (allowed) {
      Instance moved = move(instance, to);
      assertThat(moved.state()).isEqualTo(to);
      assertThat(moved.enteredAt(to)).contains(Instances.LATER);
    } else {
      assertThatThrownBy(() -> move(instance, to))
          .isInstanceOf(IllegalTransitionException.class)
          .hasMessage("instance %s cannot transition from %s to %s", instance.id(), from, to);
    }
  }

  /** Moves with the method meant for the target state: failures need a reason. */
  private static Instance move(Instance instance, InstanceState to) {
    return switch (to) {
      case FAILED ->
          instance.fail(new FailureReason.ExitedNonZero(2), Optional.empty(), Instances.LATER);
      case TIMED_OUT ->
          instance.fail(
              new FailureReason.DeadlineExceeded(Duration.ofSeconds(1)),
              Optional.empty(),
              Instances.LATER);
      case CANCELLED ->
          instance.fail(new FailureReason.Cancelled(), Optional.empty(), Instances.LATER);
      case SUCCEEDED -> instance.succeed(Optional.empty(), Instances.LATER);
      default -> instance.transitionTo(to, Instances.LATER);
    };
  }

  @Test
  void failureStatesCannotBeEnteredWithoutAReason() {
    Instance running = Instances.in(InstanceState.RUNNING, ToolMode.TASK);

    assertThatThrownBy(() -> running.transitionTo(InstanceState.FAILED, Instances.LATER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs a failure reason");
  }

  @Test
  void terminalStatesAreFinal() {
    for (ToolMode mode : ToolMode.values()) {
      for (InstanceState state : InstanceState.values()) {
        if (state.isTerminal()) {
          assertThat(state.allowedNext(mode)).as("%s %s", mode, state).isEmpty();
        }
      }
    }
  }

  @Test
  void everyNonTerminalStateOfAModeCanReachAnEnd() {
    for (ToolMode mode : ToolMode.values()) {
      for (InstanceState state : InstanceState.values()) {
        if (!state.isTerminal() && state.occursIn(mode)) {
          assertThat(state.allowedNext(mode).stream().anyMatch(InstanceState::isTerminal))
              .as("%s %s reaches a terminal state directly", mode, state)
              .isTrue();
        }
      }
    }
  }

  @Test
  void servicesNeverSucceedOrTimeOutAndTasksNeverServe() {
    assertThat(InstanceState.SERVING.occursIn(ToolMode.TASK)).isFalse();
    assertThat(InstanceState.STOPPED.occursIn(ToolMode.TASK)).isFalse();
    assertThat(InstanceState.SUCCEEDED.occursIn(ToolMode.SERVICE)).isFalse();
    assertThat(InstanceState.TIMED_OUT.occursIn(ToolMode.SERVICE)).isFalse();
    assertThat(InstanceState.CANCELLED.occursIn(ToolMode.SERVICE)).isFalse();
  }

  @Test
  void aForwardPathPassesThroughTheStatesInBetween() {
    assertThat(InstanceState.PENDING.forwardPathTo(InstanceState.SUCCEEDED, ToolMode.TASK))
        .contains(List.of(InstanceState.CREATING, InstanceState.STARTING, InstanceState.SUCCEEDED));
    assertThat(InstanceState.CREATING.forwardPathTo(InstanceState.RUNNING, ToolMode.TASK))
        .contains(List.of(InstanceState.STARTING, InstanceState.RUNNING));
    assertThat(InstanceState.PENDING.forwardPathTo(InstanceState.SERVING, ToolMode.SERVICE))
        .contains(
            List.of(
                InstanceState.CREATING,
                InstanceState.STARTING,
                InstanceState.RUNNING,
                InstanceState.SERVING));
  }

  @Test
  void thereIsNoForwardPathBackwardsOrOutOfTheMode() {
    assertThat(InstanceState.SERVING.forwardPathTo(InstanceState.RUNNING, ToolMode.SERVICE))
        .isEmpty();
    assertThat(InstanceState.RUNNING.forwardPathTo(InstanceState.SERVING, ToolMode.TASK)).isEmpty();
    assertThat(InstanceState.STOPPING.forwardPathTo(InstanceState.FAILED, ToolMode.SERVICE))
        .isEmpty();
    assertThat(InstanceState.SUCCEEDED.forwardPathTo(InstanceState.FAILED, ToolMode.TASK))
        .isEmpty();
  }
}
