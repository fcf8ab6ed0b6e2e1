package dev.toolrun.cli.commands;

import dev.toolrun.cli.output.InstanceViews;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code toolrun run TOOL}: launches an instance, and with --wait or --follow sees it through. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Launches an instance of a tool (POST /v1/instances).",
      "",
      "Without --wait or --follow it prints the new instance's id (-o json|yaml: the instance) and"
          + " exits 0. With --wait it waits until the run ends (a service: until it is SERVING or"
          + " ends), prints the instance and exits as the run ended. With --follow it also prints"
          + " the log as it grows, on standard output, and the instance at the end on standard"
          + " error. --follow reads the log over the server's event stream (resuming a dropped"
          + " connection after the last line printed); --wait reads the instance every --interval.",
      "",
      "Exit codes with --wait or --follow: 0 SUCCEEDED (a service SERVING or STOPPED), the"
          + " tool's own exit code when it exited non-zero, 124 TIMED_OUT, 125 FAILED otherwise,"
          + " 130 CANCELLED; see 'toolrun --help' for the others."
    })
final class RunCommand extends ApiCommand {
  @Parameters(index = "0", paramLabel = "TOOL", description = "The tool's name.")
  String tool;

  @Option(names = "--version", paramLabel = "N", description = "Run this version, not the latest.")
  Integer version;

  @Option(
      names = {"-p", "--param"},
      paramLabel = "KEY=VALUE",
      description = {
        "A parameter; repeatable. key=value: the string value; key:=json: a JSON value"
            + " (n:=3, on:=true, tags:='[\"a\"]'); key=@file.json: the JSON value in the file."
      })
  List<String> parameters = new ArrayList<>();

  @Option(
      names = "--secret",
      paramLabel = "NAME=@FILE",
      description = {
        "A value for one of the tool's secretInputs; repeatable. NAME=@file: the file's content"
            + " (less one trailing newline); NAME=value also works, but shows in the process list."
      })
  List<String> secrets = new ArrayList<>();

  @Option(
      names = "--secret-ref",
      paramLabel = "SECRET",
      description = {
        "Instead of --secret: the Kubernetes Secret in toolrun's namespace that has a key for each"
            + " of the tool's secretInputs; the run reads it, toolrun does not."
      })
  String secretRef;

  @Option(names = "--wait", description = "Wait until the run ends, and exit as it ended.")
  boolean waitForEnd;

  @Option(
      names = "--follow",
      description = "Print the log as it grows until the run ends (implies --wait).")
  boolean follow;

  @Option(
      names = "--idempotency-key",
      paramLabel = "KEY",
      description = "Makes retrying this launch safe: the same key launches once.")
  String idempotencyKey;

  @Option(
      names = "--interval",
      paramLabel = "DURATION",
      description =
          "How often --wait asks the server again, and how long --follow waits before"
              + " reconnecting a dropped stream (default: 500ms).",
      converter = DurationConverter.class)
  Duration interval = ToolrunCommand.DEFAULT_POLL_INTERVAL;

  @Override
  public Integer call() {
    ObjectNode request =
        LaunchArguments.launchRequest(
            tool,
            version,
            LaunchArguments.parameters(parameters),
            LaunchArguments.secrets(secrets),
            secretRef);
    JsonNode launched =
        idempotencyKey == null
            ? client().post("/v1/instances", request).body()
            : client()
                .post("/v1/instances", request, Map.of("Idempotency-Key", idempotencyKey))
                .body();
    String id = launched.path("id").asString();
    if (!waitForEnd && !follow) {
      if (printer().forPeople()) {
        out().println(id);
        out().flush();
      } else {
        printer().document(out(), launched);
      }
      return ExitCodes.OK;
    }
    Polling polling = new Polling(client(), interval);
    if (follow) {
      new LogStream(client(), interval).follow(id, 0, false, out(), err());
      // The log is complete once the workload ended; the instance records its end around then.
      JsonNode ended =
          polling.instanceUntil(id, i -> RunOutcome.isTerminal(i.path("state").asString("")));
      if (printer().forPeople()) {
        err().println(InstanceViews.summary(ended));
        err().flush();
      } else {
        printer().document(err(), ended);
      }
      return RunOutcome.exitCode(ended);
    }
    JsonNode settled = polling.instanceUntil(id, RunOutcome::isSettled);
    if (printer().forPeople()) {
      InstanceViews.details(out(), settled);
    } else {
      printer().document(out(), settled);
    }
    return RunOutcome.exitCode(settled);
  }
}
