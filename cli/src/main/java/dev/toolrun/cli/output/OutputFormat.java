package dev.toolrun.cli.output;

/** How a command prints what the server answered: for people, or for scripts. */
public enum OutputFormat {
  /** Aligned columns, or a label per line for one item. The default. */
  TABLE,
  /** The API's JSON, indented. */
  JSON,
  /** The API's JSON as YAML. */
  YAML
}
