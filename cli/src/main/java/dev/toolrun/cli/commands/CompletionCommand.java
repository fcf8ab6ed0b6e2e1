package dev.toolrun.cli.commands;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code toolrun completion bash}: the shell completion script, from picocli's AutoComplete. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "Prints a completion script for bash (zsh too, with bashcompinit).",
      "",
      "  source <(toolrun completion bash)            # this shell",
      "  toolrun completion bash > /etc/bash_completion.d/toolrun"
    })
final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
  String shell;

  @Override
  public Integer call() {
    if (!shell.equals("bash") && !shell.equals("zsh")) {
      throw new UsageException("completion is for bash or zsh, not '" + shell + "'");
    }
    spec.commandLine().getOut().print(AutoComplete.bash("toolrun", spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
