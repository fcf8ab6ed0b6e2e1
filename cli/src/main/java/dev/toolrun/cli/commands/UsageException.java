package dev.toolrun.cli.commands;

/** The command line asks for something that cannot be done as asked: exit 64, with why. */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message);
  }
}
