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
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordDocumentsTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  /** Through JSON and back, as a record travels. */
  private static <T> T roundTrip(T value, Class<T> type) {
    Object document = RecordDocuments.write(value, type);
    Object parsed = JSON.unmarshal(JSON.asJson(document), Object.class);
    return RecordDocuments.read(parsed, type);
  }

  @Test
  void aToolWithEverySettingSurvivesTheTrip() {
    Tool tool = Launches.everything().tool();
    Tool service = Launches.service().tool();

    assertThat(roundTrip(tool, Tool.class)).isEqualTo(tool);
    assertThat(roundTrip(service, Tool.class)).isEqualTo(service);
  }

  @Test
  void anInstanceInEveryShapeSurvivesTheTrip() {
    Instance launched =
        Instance.launch(
            Launches.ID,
            Launches.everything().tool(),
            new Parameters(Map.of("exact", new BigDecimal("1.10"), "big", new BigDecimal("123456789012345678901234567890"), "list", List.of("a", true))),
            Set.of("API_TOKEN"),
            Optional.of(new IdempotencyKey("key-1", "abc")),
            Launches.T0);
    Instance done =
        launched
            .transitionTo(InstanceState.CREATING, Launches.T0.plusSeconds(1))
            .transitionTo(InstanceState.STARTING, Launches.T0.plusSeconds(2))
            .succeed(Optional.of(new ToolResult("{\"answer\":42}")), Launches.T0.plusSeconds(3));
    Instance failed =
        launched.fail(new FailureReason.CrashLoop(137, List.of("one", "two")), Optional.of(137), Launches.T0.plusSeconds(5));
    Instance timedOut = launched.transitionTo(InstanceState.CREATING, Launches.T0).transitionTo(InstanceState.STARTING, Launches.T0)
        .fail(new FailureReason.DeadlineExceeded(Duration.ofSeconds(5)), Optional.empty(), Launches.T0.plusSeconds(9));
    Instance cancelled = launched.fail(new FailureReason.Cancelled(), Optional.empty(), Launches.T0.plusSeconds(1));
    Instance healthy =
        Instance.launch(Launches.ID, Launches.service().tool(), Parameters.NONE, Set.of(), Optional.empty(), Launches.T0)
            .withHealth(ServiceHealth.UNCHECKED.failed(Launches.T0, "refused").passed(Launches.T0.plusSeconds(1)));

    for (Instance instance : List.of(launched, done, failed, timedOut, cancelled, healthy)) {
      assertThat(roundTrip(instance, Instance.class)).isEqualTo(instance);
    }
    assertThat(roundTrip(launched, Instance.class).parameters().values().get("exact")).isEqualTo(new BigDecimal("1.10"));
  }

  @Test
  void theStoredFormUsesTheDomainsNamesAndTagsSealedKinds() {
    Instance failed =
        Instance.launch(Launches.ID, Launches.everything().tool(), Parameters.NONE, Set.of(), Optional.empty(), Launches.T0)
            .fail(new FailureReason.ExitedNonZero(3), Optional.empty(), Launches.T0);

    @SuppressWarnings("unchecked")
    Map<String, Object> document = (Map<String, Object>) RecordDocuments.write(failed, Instance.class);

    assertThat(document).containsEntry("id", Launches.ID.value()).containsEntry("toolName", "word-count").containsEntry("state", "FAILED");
    assertThat(document.get("failure")).isEqualTo(Map.of("type", "ExitedNonZero", "exitCode", 3));
    assertThat(document).doesNotContainKey("result");
  }

  @Test
  void aDocumentThatBreaksTheDomainsRulesIsRefused() {
    @SuppressWarnings("unchecked")
    Map<String, Object> document = (Map<String, Object>) RecordDocuments.write(Launches.everything().tool(), Tool.class);
    document.put("name", "Not A Name");

    assertThatThrownBy(() -> RecordDocuments.read(document, Tool.class))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a valid tool name");
  }
}
