package dev.toolrun.ports.out;

import dev.toolrun.domain.instance.IdempotencyKey;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ServiceSettings;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/** Tools and instances of a known shape for the driven-port contract tests. */
public final class ContractFixtures {
  public static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  private static final Random RANDOM = new Random(7);

  private ContractFixtures() {}

  public static Tool tool(String name, int version) {
    ToolSpec spec = ToolSpec.task(ContainerImage.of("busybox:" + version)).build();
    return new Tool(new ToolName(name), version, "tool " + name, spec, T0.plusSeconds(version));
  }

  public static Tool service(String name) {
    return Tool.first(
        new ToolName(name),
        "service " + name,
        ToolSpec.service(ContainerImage.of("python:3"), ServiceSettings.http(8080)).build(),
        T0);
  }

  /** A pending instance of {@code tool} created at {@code at}; ids grow with {@code at}. */
  public static Instance instance(Tool tool, Instant at) {
    return Instance.launch(
        InstanceId.generate(at, RANDOM),
        tool,
        new Parameters(Map.of("n", 1)),
        Set.of(),
        Optional.empty(),
        at);
  }

  public static Instance instanceWithKey(Tool tool, Instant at, String key) {
    return Instance.launch(
        InstanceId.generate(at, RANDOM),
        tool,
        Parameters.NONE,
        Set.of(),
        Optional.of(new IdempotencyKey(key, "fingerprint-" + key)),
        at);
  }
}
