package dev.toolrun.adapter.k8s.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.toolrun.adapter.k8s.Launches;
import dev.toolrun.domain.error.ValidationException;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceState;
import dev.toolrun.domain.instance.LogTail;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.tool.Tool;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Records always fit in one ConfigMap: a launch that cannot is refused, a status is made to. */
class InstanceConfigMapsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static Instance launchOf(Parameters parameters) {
    Tool tool = Launches.everything().tool();
    return Instance.launch(Launches.ID, tool, parameters, Set.of(), Optional.empty(), Launches.T0);
  }

  @Test
  void aLaunchTooLargeForItsRecordIsRefusedNamingTheLimit() {
    Instance huge = launchOf(new Parameters(Map.of("text", "x".repeat(600 * 1024))));

    assertThatThrownBy(() -> InstanceConfigMaps.newRecord(huge, Map.of()))
        .isInstanceOfSatisfying(
            ValidationException.class,
            e -> {
              assertThat(e.violations().get(0).field()).isEqualTo("parameters");
              assertThat(e.getMessage())
                  .contains(Integer.toString(InstanceConfigMaps.MAX_LAUNCH_BYTES))
                  .contains("1 MiB");
            });
  }

  @Test
  void aLaunchJustWithinTheLimitIsKept() {
    Instance large = launchOf(new Parameters(Map.of("text", "x".repeat(500 * 1024))));

    assertThat(InstanceConfigMaps.newRecord(large, Map.of()).getData())
        .containsKey(InstanceConfigMaps.LAUNCH);
  }

  @Test
  void aStatusWithATailOfLongLinesKeepsTheLastLinesThatFitAndTheTrueCount() throws Exception {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < LogTail.MAX_LINES; i++) {
      lines.add(i + ":" + "y".repeat(8190));
    }
    Instance ended =
        launchOf(Parameters.NONE)
            .transitionTo(InstanceState.CREATING, Launches.T0)
            .transitionTo(InstanceState.STARTING, Launches.T0)
            .transitionTo(InstanceState.RUNNING, Launches.T0)
            .withLogTail(new LogTail(lines, 250_000))
            .succeed(
                Optional.of(new ToolResult("{\"big\":\"" + "z".repeat(60_000) + "\"}")),
                Launches.T0.plusSeconds(1));

    String patch = InstanceConfigMaps.statusPatch(ended);

    String status = JSON.readTree(patch).get("data").get(InstanceConfigMaps.STATUS).asString();
    assertThat(status.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(
            InstanceConfigMaps.MAX_DOCUMENTS_BYTES - InstanceConfigMaps.MAX_LAUNCH_BYTES);
    JsonNode tail = JSON.readTree(status).get("logTail");
    assertThat(tail.get("totalLines").asLong()).isEqualTo(250_000);
    List<String> kept = new ArrayList<>();
    tail.get("lines").forEach(line -> kept.add(line.asString()));
    assertThat(kept).isNotEmpty().hasSizeLessThan(LogTail.MAX_LINES);
    assertThat(kept.get(kept.size() - 1)).startsWith((LogTail.MAX_LINES - 1) + ":");
    assertThat(JSON.readTree(status).get("result").toString()).contains("zzz");
  }
}
