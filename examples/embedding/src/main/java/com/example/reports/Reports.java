package com.example.reports;

import static java.util.Objects.requireNonNull;

import dev.toolrun.application.Toolrun;
import dev.toolrun.domain.instance.Instance;
import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.Parameters;
import dev.toolrun.domain.instance.SecretValues;
import dev.toolrun.domain.tool.ContainerImage;
import dev.toolrun.domain.tool.ToolName;
import dev.toolrun.domain.tool.ToolSpec;
import dev.toolrun.ports.in.GetInstanceUseCase.GetInstanceQuery;
import dev.toolrun.ports.in.LaunchInstanceUseCase.LaunchInstanceCommand;
import dev.toolrun.ports.in.RegisterToolUseCase.RegisterToolCommand;
import java.time.Duration;
import java.time.YearMonth;
import java.util.Map;
import java.util.Optional;

/**
 * This application's own code: it runs its monthly report as a toolrun task, through toolrun's use
 * cases. It knows nothing of where the task runs: given a {@link Toolrun} over the Kubernetes
 * adapter, the report runs as a Job; in the tests, over the in-memory adapter, nothing runs and the
 * tests script what the run does.
 */
public final class Reports {
  /** The name the report tool is registered under. */
  public static final ToolName TOOL = new ToolName("monthly-report");

  private final Toolrun toolrun;
  private final ToolSpec spec;

  /** Reports run from {@code image}; a run still going after {@code timeout} is stopped. */
  public Reports(Toolrun toolrun, String image, Duration timeout) {
    this.toolrun = requireNonNull(toolrun, "toolrun is null");
    this.spec = ToolSpec.task(ContainerImage.of(image)).timeout(timeout).build();
  }

  /** Registers the report tool; call once at startup. */
  public void install() {
    toolrun.registerTool().register(new RegisterToolCommand(TOOL, "the monthly report", spec));
  }

  /** Starts the report of {@code month}, and returns the id of its run. */
  public InstanceId start(YearMonth month) {
    LaunchInstanceCommand command =
        new LaunchInstanceCommand(
            TOOL,
            Optional.empty(),
            new Parameters(Map.of("month", month.toString())),
            SecretValues.NONE,
            // Starting the same month twice returns the first run instead of a second one.
            Optional.of("report-" + month));
    return toolrun.launchInstance().launch(command).view().instance().id();
  }

  /** The run {@code id} as it is now: its state, and once it ended, its result or failure. */
  public Instance run(InstanceId id) {
    return toolrun.getInstance().get(new GetInstanceQuery(id)).instance();
  }
}
