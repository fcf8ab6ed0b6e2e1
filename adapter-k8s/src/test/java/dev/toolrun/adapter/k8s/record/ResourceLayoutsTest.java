package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.tool.Tool;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every tool and instance of the golden fixtures comes back unchanged from a Tool or ToolRun
 * resource, through the JSON the API server would hold (its pruning by the CRDs' schemas is proved
 * on the real cluster, ResourceRecordsClusterIT).
 */
class ResourceLayoutsTest {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  @Test
  void everyGoldenToolComesBackFromItsToolResource() {
    for (Map.Entry<String, Tool> golden : GoldenRecords.tools().entrySet()) {
      GenericKubernetesResource written = ToolResources.LAYOUT.encode(golden.getValue(), Map.of());

      assertThat(ToolResources.LAYOUT.decode(throughJson(written)))
          .as(golden.getKey())
          .isEqualTo(golden.getValue());
    }
  }

  @Test
  void aToolResourceHoldsTheRestSpec() {
    Tool tool = GoldenRecords.tools().values().iterator().next();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec =
        (Map<String, Object>)
            ToolResources.LAYOUT.encode(tool, Map.of()).getAdditionalProperties().get("spec");

    assertThat(spec).containsKey("mode").doesNotContainKeys("workload", "scheduling");
    // Kubernetes' spellings, as the CRD's schema (and a kubectl user) has them.
    assertThat(spec.get("tolerations").toString())
        .contains("operator=Exists", "effect=NoSchedule")
        .doesNotContain("NO_SCHEDULE");
    assertThat(spec.get("affinity").toString()).contains("operator=DoesNotExist");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyGoldenInstanceComesBackFromItsToolRunWithItsStatus() {
    for (Map.Entry<String, Instance> golden : GoldenRecords.instances().entrySet()) {
      Instance instance = golden.getValue();
      GenericKubernetesResource written = InstanceResources.LAYOUT.newRecord(instance, Map.of());
      Map<String, Object> patch = RecordJson.object(InstanceResources.LAYOUT.statusPatch(instance));
      written.setAdditionalProperty("status", patch.get("status"));

      assertThat(InstanceResources.LAYOUT.read(throughJson(written)))
          .as(golden.getKey())
          .isEqualTo(instance);
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void aStatusWriteRemovesTheQueuePositionAndSaysARunningLogIsOpenUncounted() {
    Instance running = GoldenRecords.instances().get("instance-running");

    Map<String, Object> status =
        (Map<String, Object>)
            RecordJson.object(InstanceResources.LAYOUT.statusPatch(running)).get("status");

    // The door's field: the run left the queue, so the record's write removes it.
    assertThat(status).containsEntry(ToolRuns.QUEUE_POSITION, null);
    assertThat((Map<String, Object>) status.get("log"))
        .containsEntry("state", "OPEN")
        .containsEntry("lines", null)
        .containsEntry("droppedLines", null)
        .containsEntry("missing", null);
  }

  @Test
  @SuppressWarnings("unchecked")
  void anEndedRunsStatusSaysHowItsLogStoodWhenItsTailWasTaken() {
    Instance cancelled = GoldenRecords.instances().get("instance-cancelled-log-incomplete");

    Map<String, Object> status =
        (Map<String, Object>)
            RecordJson.object(InstanceResources.LAYOUT.statusPatch(cancelled)).get("status");

    assertThat((Map<String, Object>) status.get("log"))
        .containsEntry("state", "INCOMPLETE")
        .containsEntry("lines", java.math.BigInteger.valueOf(5000))
        .containsEntry("droppedLines", java.math.BigInteger.valueOf(2000))
        .containsEntry("missing", "the output did not finish draining within 10 s");
  }

  @Test
  void aWaitingRunWhoseStatusHoldsOnlyItsQueuePositionReadsAsLaunched() {
    Instance pending = GoldenRecords.instances().get("instance-pending");
    GenericKubernetesResource written = InstanceResources.LAYOUT.newRecord(pending, Map.of());
    written.setAdditionalProperty("status", Map.of(ToolRuns.QUEUE_POSITION, 2));

    assertThat(InstanceResources.LAYOUT.read(throughJson(written))).isEqualTo(pending);
  }

  private static GenericKubernetesResource throughJson(GenericKubernetesResource resource) {
    return JSON.unmarshal(JSON.asJson(resource), GenericKubernetesResource.class);
  }

  @Test
  @SuppressWarnings("unchecked")
  void aStatusPatchRemovesTheFieldsTheStatusNoLongerHas() {
    // Its last check failed with an error; one passes now, which clears it.
    Instance serving = GoldenRecords.instances().get("instance-serving-health-restarts");
    Instance healthy =
        serving.withHealth(serving.health().passed(GoldenRecords.T0.plusSeconds(7200)));

    Map<String, Object> status =
        (Map<String, Object>)
            RecordJson.object(InstanceResources.LAYOUT.statusPatch(healthy)).get("status");

    // A merge patch keeps what it does not name: null is what removes a field.
    assertThat((Map<String, Object>) status.get("health")).containsEntry("lastError", null);
    assertThat(status).containsEntry("failure", null).containsEntry("state", "SERVING");
  }
}
