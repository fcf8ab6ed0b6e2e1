package dev.toolrun.adapter.inmemory;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.ToolResult;
import dev.toolrun.domain.json.JsonText;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.Script;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.Workload;
import dev.toolrun.ports.out.Launch;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run does when no test scripted it: it says plainly in its log that nothing is executed,
 * names its inputs (never a secret's value), and succeeds with a result that echoes its parameters.
 */
final class DefaultScenario {
  static final String LOG_PREFIX = "[in-memory runtime] ";

  private DefaultScenario() {}

  /** The scenario of an unscripted task. */
  static Scenario forTask(Launch launch) {
    Instance instance = launch.instance();
    List<String> lines = new ArrayList<>();
    lines.add(LOG_PREFIX + "running " + describe(launch.tool().spec().workload()));
    lines.add(LOG_PREFIX + "nothing is executed: this runtime only plays the instance's lifecycle");
    lines.add(
        LOG_PREFIX
            + (instance.parameters().isEmpty()
                ? "no parameters"
                : "parameters: " + String.join(", ", instance.parameters().values().keySet())));
    if (!instance.secretNames().isEmpty()) {
      lines.add(
          LOG_PREFIX
              + "secret inputs: "
              + String.join(", ", instance.secretNames())
              + instance.secretReference().map(r -> " from Secret " + r.name()).orElse("")
              + " (values are never shown)");
    }
    lines.add(LOG_PREFIX + "done");
    return new Scenario.Succeed(Duration.ZERO, lines, result(launch));
  }

  /** What the in-memory runtime says a workload would run. */
  static String describe(Workload workload) {
    if (workload instanceof Script script) {
      return "%s script %s (%d bytes)"
          .formatted(
              script.language().name().toLowerCase(Locale.ROOT),
              script.language().fileName(),
              script.source().getBytes(StandardCharsets.UTF_8).length);
    }
    if (workload instanceof ContainerImage container) {
      return "container image " + container.image();
    }
    throw new IllegalStateException("unknown workload " + workload);
  }

  private static ToolResult result(Launch launch) {
    Tool tool = launch.tool();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("runtime", "in-memory");
    result.put("tool", tool.name().value());
    result.put("version", BigDecimal.valueOf(tool.version()));
    result.put("parameters", launch.instance().parameters().values());
    String json = JsonText.write(result);
    if (json.getBytes(StandardCharsets.UTF_8).length <= ToolResult.MAX_BYTES) {
      return new ToolResult(json);
    }
    // Parameters may be larger than a result may be; the run still succeeds, without the echo.
    result.remove("parameters");
    result.put("parametersOmitted", "they are larger than a result may be");
    return new ToolResult(JsonText.write(result));
  }
}
