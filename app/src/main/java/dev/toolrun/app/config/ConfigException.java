package dev.toolrun.app.config;

import java.util.List;

/** The configuration is unusable; the message names every offending key and says why. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  public ConfigException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, each starting with the key or variable it concerns. */
  public List<String> problems() {
    return problems;
  }
}
