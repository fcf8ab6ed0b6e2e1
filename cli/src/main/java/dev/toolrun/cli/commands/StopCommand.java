package dev.toolrun.cli.commands;

import picocli.CommandLine.Command;

/** {@code toolrun stop ID}: stops a service. */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Stops a service: STOPPING (requests in flight may finish), then STOPPED (a task is"
            + " cancelled instead).")
final class StopCommand extends InstanceActionCommand {
  @Override
  String action() {
    return "stop";
  }
}
