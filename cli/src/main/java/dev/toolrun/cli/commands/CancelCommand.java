package dev.toolrun.cli.commands;

import picocli.CommandLine.Command;

/** {@code toolrun cancel ID}: cancels a task. */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Cancels a task: it ends CANCELLED and its workload is removed (a service is stopped"
            + " instead).")
final class CancelCommand extends InstanceActionCommand {
  @Override
  String action() {
    return "cancel";
  }
}
