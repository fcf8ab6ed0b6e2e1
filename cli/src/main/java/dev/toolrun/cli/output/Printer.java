package dev.toolrun.cli.output;

import static java.util.Objects.requireNonNull;

import dev.toolrun.cli.json.Documents;
import java.io.PrintWriter;
import tools.jackson.databind.JsonNode;

/** Prints the server's JSON as it is, for scripts: indented JSON or YAML. */
public final class Printer {
  private final OutputFormat format;

  public Printer(OutputFormat format) {
    this.format = requireNonNull(format, "format is null");
  }

  public OutputFormat format() {
    return format;
  }

  /** Whether the command prints people's tables (else {@link #document} prints the JSON). */
  public boolean forPeople() {
    return format == OutputFormat.TABLE;
  }

  /** Prints {@code document} as JSON or YAML (for TABLE, as JSON: the caller chose no table). */
  public void document(PrintWriter out, JsonNode document) {
    String text =
        format == OutputFormat.YAML
            ? Documents.YAML.writeValueAsString(document)
            : Documents.PRETTY_JSON.writeValueAsString(document);
    out.print(text);
    if (!text.endsWith("\n")) {
      out.println();
    }
    out.flush();
  }
}
