package dev.toolrun.adapter.http.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.InstanceView;
import dev.toolrun.ports.in.LogStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The cached JSON of an instance is the JSON Jackson writes, for exactly the view it was for. */
class InstanceBodiesTest {
  private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
  private static final Tool TOOL =
      Tool.first(
          new ToolName("greeter"),
          "a tool",
          ToolSpec.task(ContainerImage.of("busybox:1")).build(),
          NOW);

  private final InstanceBodies bodies = new InstanceBodies();

  @Test
  void writesWhatTheMapperWritesAndReusesItForTheSameRecord() {
    Instance instance = launched(Parameters.NONE);
    InstanceView view = new InstanceView(instance, Optional.of(2), Optional.empty());

    byte[] first = bodies.json(view);
    byte[] again = bodies.json(new InstanceView(instance, Optional.of(2), Optional.empty()));

    assertThat(first).isEqualTo(JsonCodec.write(InstanceMapper.toResponse(view)));
    assertThat(again).isSameAs(first);
  }

  @Test
  void writesAgainWhenTheRecordOrWhatTheViewAddsToItChanges() {
    Instance instance = launched(Parameters.NONE);
    byte[] pending = bodies.json(new InstanceView(instance, Optional.of(1), Optional.empty()));

    Instance creating = instance.transitionTo(InstanceState.CREATING, NOW.plusSeconds(1));
    InstanceView moved = new InstanceView(creating, Optional.empty(), Optional.empty());
    assertThat(text(bodies.json(moved))).contains("\"state\":\"CREATING\"");

    InstanceView queueMoved = new InstanceView(instance, Optional.of(7), Optional.empty());
    assertThat(text(bodies.json(queueMoved))).contains("\"queuePosition\":7");

    LogStatus grown = new LogStatus(LogStatus.State.OPEN, 12, 0, Optional.empty());
    InstanceView logGrew = new InstanceView(creating, Optional.empty(), Optional.of(grown));
    assertThat(text(bodies.json(logGrew))).contains("\"lines\":12");

    assertThat(text(pending)).contains("\"state\":\"PENDING\"").contains("\"queuePosition\":1");
  }

  @Test
  void anEqualButOtherRecordIsWrittenAgainNotTakenFromTheCache() {
    Instance instance = launched(Parameters.NONE);
    Instance copy =
        new Instance(
            instance.id(),
            instance.toolName(),
            instance.toolVersion(),
            instance.mode(),
            instance.parameters(),
            instance.secretNames(),
            instance.secretReference(),
            instance.idempotencyKey(),
            instance.state(),
            instance.history(),
            instance.failure(),
            instance.exitCode(),
            instance.result(),
            instance.health(),
            instance.restarts(),
            instance.logTail(),
            instance.start());
    byte[] first = bodies.json(new InstanceView(instance, Optional.empty(), Optional.empty()));

    byte[] other = bodies.json(new InstanceView(copy, Optional.empty(), Optional.empty()));

    assertThat(other).isNotSameAs(first).isEqualTo(first);
  }

  @Test
  void aBodyLargerThanTheBoundIsNotKept() {
    Instance big =
        launched(new Parameters(Map.of("text", "x".repeat(InstanceBodies.MAX_CACHED_BYTES))));
    InstanceView view = new InstanceView(big, Optional.empty(), Optional.empty());

    byte[] first = bodies.json(view);

    assertThat(first.length).isGreaterThan(InstanceBodies.MAX_CACHED_BYTES);
    assertThat(bodies.json(view)).isNotSameAs(first).isEqualTo(first);
  }

  private static Instance launched(Parameters parameters) {
    return Instance.launch(
        InstanceId.generate(NOW, new Random(3)),
        TOOL,
        parameters,
        java.util.Set.of(),
        Optional.empty(),
        NOW);
  }

  private static String text(byte[] json) {
    return new String(json, StandardCharsets.UTF_8);
  }
}
