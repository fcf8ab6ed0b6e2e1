package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.adapter.k8s.Launches;
import dev.toolrun.domain.instance.FailureReason;
import dev.toolrun.domain.instance.IdempotencyKey;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.ServiceHealth;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.Tool;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class RecordMapperTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Through the stored documents' JSON text and back, as a record travels. */
  private static Tool roundTrip(Tool tool) {
    String text = RecordJson.write(RecordMapper.toStored(tool));
    return RecordMapper.toDomain(RecordJson.read(text, StoredTool.class));
  }

  private static Instance roundTrip(Instance instance) {
    String launch = RecordJson.write(RecordMapper.toStoredLaunch(instance));
    String status = RecordJson.write(RecordMapper.toStoredStatus(instance));
    return RecordMapper.toDomain(
        new StoredInstance(
            RecordJson.read(launch, StoredInstance.Launch.class),
            Optional.of(RecordJson.read(status, StoredInstance.Status.class))));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parsed(String json) {
    return JSON.readValue(json, Map.class);
  }

  @Test
  void aToolWithEverySettingSurvivesTheTrip() {
    List<Tool> tools = new ArrayList<>(GoldenRecords.tools().values());
    tools.add(Launches.everything().tool());
    tools.add(Launches.service().tool());

    for (Tool tool : tools) {
      assertThat(roundTrip(tool)).isEqualTo(tool);
    }
  }

  @Test
  void anInstanceInEveryShapeSurvivesTheTrip() {
    Instance launched =
        Instance.launch(
            Launches.ID,
            Launches.everything().tool(),
            new Parameters(
                Map.of(
                    "exact",
                    new BigDecimal("1.10"),
                    "big",
                    new BigDecimal("123456789012345678901234567890"),
                    "list",
                    List.of("a", true))),
            Set.of("API_TOKEN"),
            Optional.of(new IdempotencyKey("key-1", "abc")),
            Launches.T0);
    Instance done =
        launched
            .transitionTo(InstanceState.CREATING, Launches.T0.plusSeconds(1))
            .transitionTo(InstanceState.STARTING, Launches.T0.plusSeconds(2))
            .succeed(Optional.of(new ToolResult("{\"answer\":42}")), Launches.T0.plusSeconds(3));
    Instance failed =
        launched.fail(
            new FailureReason.CrashLoop(137, List.of("one", "two")),
            Optional.of(137),
            Launches.T0.plusSeconds(5));
    Instance timedOut =
        launched
            .transitionTo(InstanceState.CREATING, Launches.T0)
            .transitionTo(InstanceState.STARTING, Launches.T0)
            .fail(
                new FailureReason.DeadlineExceeded(Duration.ofSeconds(5)),
                Optional.empty(),
                Launches.T0.plusSeconds(9));
    Instance cancelled =
        launched.fail(new FailureReason.Cancelled(), Optional.empty(), Launches.T0.plusSeconds(1));
    Instance parallelFailed =
        launched.fail(
            new FailureReason.ExitedNonZero(3, 2, 3), Optional.of(3), Launches.T0.plusSeconds(4));
    Instance healthy =
        Instance.launch(
                Launches.ID,
                Launches.service().tool(),
                Parameters.NONE,
                Set.of(),
                Optional.empty(),
                Launches.T0)
            .withHealth(
                ServiceHealth.UNCHECKED
                    .failed(Launches.T0, "refused")
                    .passed(Launches.T0.plusSeconds(1)));
    List<Instance> instances =
        new ArrayList<>(
            List.of(launched, done, failed, timedOut, cancelled, parallelFailed, healthy));
    instances.addAll(GoldenRecords.instances().values());

    for (Instance instance : instances) {
      assertThat(roundTrip(instance)).isEqualTo(instance);
    }
    assertThat(roundTrip(launched).parameters().values().get("exact"))
        .isEqualTo(new BigDecimal("1.10"));
  }

  @Test
  void theStoredFormHasItsOwnNamesAndTagsSealedKindsAndCarriesItsVersion() {
    Instance failed =
        Instance.launch(
                Launches.ID,
                Launches.everything().tool(),
                Parameters.NONE,
                Set.of(),
                Optional.empty(),
                Launches.T0)
            .fail(new FailureReason.ExitedNonZero(3), Optional.empty(), Launches.T0);

    Map<String, Object> launch = parsed(RecordJson.write(RecordMapper.toStoredLaunch(failed)));
    Map<String, Object> status = parsed(RecordJson.write(RecordMapper.toStoredStatus(failed)));

    assertThat(launch)
        .containsEntry("schemaVersion", 1)
        .containsEntry("id", Launches.ID.value())
        .containsEntry("toolName", "word-count")
        .doesNotContainKey("state");
    assertThat(status).containsEntry("schemaVersion", 1).containsEntry("state", "FAILED");
    assertThat(status.get("failure")).isEqualTo(Map.of("type", "ExitedNonZero", "exitCode", 3));
    assertThat(status).doesNotContainKey("result").doesNotContainKey("id");
  }

  @Test
  void aParallelRunsFailureStoresHowManyOfItsProcessesFailed() {
    Instance failed =
        Instance.launch(
                Launches.ID,
                Launches.everything().tool(),
                Parameters.NONE,
                Set.of(),
                Optional.empty(),
                Launches.T0)
            .fail(new FailureReason.ExitedNonZero(3, 2, 3), Optional.empty(), Launches.T0);

    Map<String, Object> status = parsed(RecordJson.write(RecordMapper.toStoredStatus(failed)));

    assertThat(status.get("failure"))
        .isEqualTo(
            Map.of("type", "ExitedNonZero", "exitCode", 3, "failedProcesses", 2, "processes", 3));
  }

  @Test
  void aDocumentThatBreaksTheDomainsRulesIsRefused() {
    String text =
        RecordJson.write(RecordMapper.toStored(Launches.everything().tool()))
            .replace("\"name\":\"word-count\"", "\"name\":\"Not A Name\"");

    assertThatThrownBy(() -> RecordMapper.toDomain(RecordJson.read(text, StoredTool.class)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid tool name");
  }

  @Test
  void aDocumentWithoutARequiredFieldIsRefusedByName() {
    String text =
        RecordJson.write(RecordMapper.toStoredStatus(Launches.service().instance()))
            .replace(",\"restarts\":0", "");

    assertThatThrownBy(() -> RecordJson.read(text, StoredInstance.Status.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("restarts");
  }

  @Test
  void aDocumentOfANewerSchemaVersionIsRefused() {
    String text =
        RecordJson.write(RecordMapper.toStored(Launches.everything().tool()))
            .replace("\"schemaVersion\":1", "\"schemaVersion\":2");

    assertThatThrownBy(() -> RecordJson.read(text, StoredTool.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("newer toolrun (schema version 2; this one reads up to 1)");
  }

  @Test
  void anUnknownKindOfFailureIsRefused() {
    String text =
        RecordJson.write(
                RecordMapper.toStoredStatus(
                    Launches.everything()
                        .instance()
                        .fail(new FailureReason.Cancelled(), Optional.empty(), Launches.T0)))
            .replace("\"type\":\"Cancelled\"", "\"type\":\"Abandoned\"");
    StoredInstance.Launch launch = RecordMapper.toStoredLaunch(Launches.everything().instance());
    StoredInstance.Status status = RecordJson.read(text, StoredInstance.Status.class);

    assertThatThrownBy(() -> RecordMapper.toDomain(new StoredInstance(launch, Optional.of(status))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Abandoned' is no kind of failure");
  }
}
