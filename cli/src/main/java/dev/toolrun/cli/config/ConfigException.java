package dev.toolrun.cli.config;

/** The URL, the token or the config file is not usable: a usage error, said plainly. */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
