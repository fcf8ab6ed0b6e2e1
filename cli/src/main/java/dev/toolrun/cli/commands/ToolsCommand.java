package dev.toolrun.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code toolrun tools}: the catalog. */
@Command(
    name = "tools",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Registers, lists, shows and removes tools.",
    subcommands = {
      ToolsApplyCommand.class,
      ToolsListCommand.class,
      ToolsGetCommand.class,
      ToolsRemoveCommand.class
    })
final class ToolsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
