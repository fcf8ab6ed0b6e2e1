package dev.toolrun.application;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.adapter.inmemory.InMemoryInstanceRepository;
import dev.toolrun.adapter.inmemory.InMemoryLogStore;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Which records of ended instances the retention policy keeps, and that it never touches others.
 */
class RetentionSweeperTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
  private final InMemoryInstanceRepository instances = new InMemoryInstanceRepository();
  private final InMemoryLogStore logs = new InMemoryLogStore();
  private final Random random = new Random(3);
  private final Tool tool =
      new Tool(
          new ToolName("job"),
          1,
          "a job",
          InMemoryToolrun.BUSYBOX_TASK,
          NOW.minus(Duration.ofDays(30)));

  private RetentionSweeper sweeper(Duration maxAge, int maxEnded) {
    return new RetentionSweeper(
        instances,
        logs,
        new Retention(maxAge, maxEnded),
        new MemoryBudget(Long.MAX_VALUE),
        Clock.fixed(NOW, ZoneOffset.UTC));
  }

  /** An instance launched {@code ago} before now; ended a minute later unless {@code active}. */
  private InstanceId stored(Duration ago, boolean active) {
    Instant launched = NOW.minus(ago);
    Instance instance =
        Instance.launch(
            InstanceId.generate(launched, random),
            tool,
            Parameters.NONE,
            Set.of(),
            Optional.empty(),
            launched);
    instance =
        instance
            .transitionTo(InstanceState.CREATING, launched)
            .transitionTo(InstanceState.STARTING, launched);
    if (!active) {
      instance = instance.succeed(Optional.empty(), launched.plus(Duration.ofMinutes(1)));
    }
    instances.add(instance);
    logs.append(instance.id(), List.of("a line"));
    return instance.id();
  }

  private boolean kept(InstanceId id) {
    return instances.find(id).isPresent();
  }

  @Test
  void recordsThatEndedLongerAgoThanTheMaximumAgeAreRemovedWithTheirLogs() {
    InstanceId old = stored(Duration.ofDays(8), false);
    InstanceId recent = stored(Duration.ofDays(2), false);

    assertThat(sweeper(Duration.ofDays(7), 100).sweep()).isEqualTo(1);

    assertThat(kept(old)).isFalse();
    assertThat(logs.tail(old, 10).lines()).isEmpty();
    assertThat(kept(recent)).isTrue();
    assertThat(logs.tail(recent, 10).lines()).hasSize(1);
  }

  @Test
  void onlyTheMostRecentEndedRecordsAreKeptBeyondTheCount() {
    InstanceId oldest = stored(Duration.ofHours(3), false);
    InstanceId middle = stored(Duration.ofHours(2), false);
    InstanceId newest = stored(Duration.ofHours(1), false);

    assertThat(sweeper(Duration.ofDays(7), 2).sweep()).isEqualTo(1);

    assertThat(kept(oldest)).isFalse();
    assertThat(kept(middle)).isTrue();
    assertThat(kept(newest)).isTrue();
  }

  @Test
  void activeInstancesAreNeverRemovedHoweverOld() {
    InstanceId running = stored(Duration.ofDays(60), true);
    InstanceId ended = stored(Duration.ofDays(60), false);

    sweeper(Duration.ofDays(7), 1).sweep();

    assertThat(kept(running)).isTrue();
    assertThat(kept(ended)).isFalse();
  }

  @Test
  void aSweepWithNothingToRemoveChangesNothing() {
    InstanceId recent = stored(Duration.ofMinutes(5), false);

    assertThat(sweeper(Duration.ofDays(7), 10).sweep()).isZero();
    assertThat(kept(recent)).isTrue();
  }
}
