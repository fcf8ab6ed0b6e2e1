package dev.toolrun.cli.commands;

import dev.toolrun.cli.http.ToolrunClient;
import dev.toolrun.cli.output.Printer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that calls the server: its client, its output and its error stream. */
abstract class ApiCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  ToolrunCommand root() {
    return (ToolrunCommand) spec.root().userObject();
  }

  ToolrunClient client() {
    return root().client();
  }

  Printer printer() {
    return new Printer(root().outputFormat());
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
