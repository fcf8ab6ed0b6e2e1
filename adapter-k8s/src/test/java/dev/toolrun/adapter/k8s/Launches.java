package dev.toolrun.adapter.k8s;

import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.Affinity;
import dev.toolrun.domain.tool.CleanupPolicy;
import dev.toolrun.domain.tool.Gpu;
import dev.toolrun.domain.tool.LabelRequirement;
import dev.toolrun.domain.tool.NodeSelectorTerm;
import dev.toolrun.domain.tool.Parallelism;
import dev.toolrun.domain.tool.PodAffinityRule;
import dev.toolrun.domain.tool.ResourceRange;
import dev.toolrun.domain.tool.Resources;
import dev.toolrun.domain.tool.Scheduling;
import dev.toolrun.domain.tool.Script;
import dev.toolrun.domain.tool.ScriptLanguage;
import dev.toolrun.domain.tool.Toleration;
import dev.toolrun.domain.tool.Tool;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.domain.tool.VolumeClaimMount;
import dev.toolrun.ports.out.Launch;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Launches of a known shape for the adapter's tests. */
public final class Launches {
  public static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
  public static final InstanceId ID = new InstanceId("0193a9b2-7c1d-7aaa-8bbb-0123456789ab");

  private Launches() {}

  /** A python script tool that uses nearly every setting a spec has. */
  public static Launch everything() {
    ToolSpec spec =
        ToolSpec.task(Script.of(ScriptLanguage.PYTHON, "import json\nprint('hello')\n"))
            .resources(
                new Resources(
                    ResourceRange.of("250m", "1"),
                    ResourceRange.of("64Mi", "256Mi"),
                    Optional.of(new Gpu(1, Gpu.DEFAULT_RESOURCE))))
            .env("GREETING", "hello")
            .secretInput("API_TOKEN")
            .scheduling(
                new Scheduling(
                    new TreeMap<>(Map.of("kubernetes.io/hostname", "localhost")),
                    List.of(
                        new Toleration(
                            Optional.of("gpu"),
                            Toleration.Operator.EXISTS,
                            Optional.empty(),
                            Optional.of(Toleration.Effect.NO_SCHEDULE),
                            Optional.empty())),
                    new Affinity(
                        List.of(
                            new NodeSelectorTerm(
                                List.of(
                                    new LabelRequirement(
                                        "kubernetes.io/os",
                                        LabelRequirement.Operator.IN,
                                        List.of("linux"))))),
                        List.of(),
                        List.of(
                            new PodAffinityRule(
                                Map.of("toolrun.dev/tool", "word-count"),
                                "kubernetes.io/hostname",
                                Optional.of(50))))))
            .serviceAccount("tool-runner")
            .imagePullSecret("regcred")
            .volume(new VolumeClaimMount("data", "/data", false))
            .parallelism(new Parallelism(3, 3))
            .timeout(Duration.ofSeconds(120))
            .retryLimit(2)
            .cleanupPolicy(CleanupPolicy.ON_SUCCESS)
            .istioSidecar(false)
            .build();
    Tool tool = new Tool(new ToolName("word-count"), 3, "counts words", spec, T0);
    Instance instance =
        Instance.launch(
            ID,
            tool,
            new Parameters(Map.of("text", "a b c", "limit", new BigDecimal("10"))),
            java.util.Set.of("API_TOKEN"),
            Optional.empty(),
            T0);
    return new Launch(instance, tool, new SecretValues(Map.of("API_TOKEN", "s3cr3t-value")));
  }

  /**
   * {@link #everything()}'s launch with its secret input given by the user's Secret {@code secret}
   * rather than as a value.
   */
  public static Launch bySecretReference(String secret) {
    Launch everything = everything();
    Instance instance =
        Instance.launch(
            ID,
            everything.tool(),
            everything.instance().parameters(),
            java.util.Set.of("API_TOKEN"),
            Optional.of(new dev.toolrun.domain.instance.SecretReference(secret)),
            Optional.empty(),
            T0);
    return new Launch(instance, everything.tool(), SecretValues.NONE);
  }

  /**
   * A launch a warm pool can take: {@link #everything()}'s tool, but one pod and no retries, with
   * its secret value.
   */
  public static Launch pooled() {
    Launch everything = everything();
    ToolSpec base = everything.tool().spec();
    ToolSpec spec =
        new ToolSpec(
            base.workload(),
            base.mode(),
            base.resources(),
            base.env(),
            base.secretInputs(),
            base.scheduling(),
            base.security(),
            base.serviceAccount(),
            base.imagePullSecret(),
            base.volumes(),
            Parallelism.SINGLE,
            base.timeout(),
            0,
            base.cleanupPolicy(),
            base.istioSidecar(),
            base.service(),
            base.inputSchema(),
            base.outputSchema());
    Tool tool = new Tool(new ToolName("word-count"), 3, "counts words", spec, T0);
    Instance instance =
        Instance.launch(
            ID,
            tool,
            everything.instance().parameters(),
            java.util.Set.of("API_TOKEN"),
            Optional.empty(),
            T0);
    return new Launch(instance, tool, everything.secrets());
  }

  /** A tool running an image with its own command and default settings. */
  public static Launch image(String image, List<String> command) {
    ToolSpec spec =
        ToolSpec.task(new dev.toolrun.domain.tool.ContainerImage(image, command, List.of()))
            .build();
    Tool tool = Tool.first(new ToolName("plain"), "", spec, T0);
    Instance instance =
        Instance.launch(ID, tool, Parameters.NONE, java.util.Set.of(), Optional.empty(), T0);
    return new Launch(instance, tool, SecretValues.NONE);
  }

  /** An isolated python service with non-default service settings. */
  public static Launch service() {
    dev.toolrun.domain.tool.ServiceSettings settings =
        new dev.toolrun.domain.tool.ServiceSettings(
            8080,
            dev.toolrun.domain.tool.Protocol.HTTP,
            "/healthz",
            Duration.ofSeconds(2),
            3,
            4,
            Duration.ofSeconds(5),
            Duration.ofSeconds(60),
            dev.toolrun.domain.tool.UnhealthyAction.RESTART,
            2,
            true);
    ToolSpec spec =
        ToolSpec.service(Script.of(ScriptLanguage.PYTHON, "print('serving')\n"), settings).build();
    Tool tool = Tool.first(new ToolName("echo-service"), "", spec, T0);
    Instance instance =
        Instance.launch(ID, tool, Parameters.NONE, java.util.Set.of(), Optional.empty(), T0);
    return new Launch(instance, tool, SecretValues.NONE);
  }
}
