package dev.toolrun.cli.json;

/** A document the user gave cannot be read or is not what was asked for: a usage error. */
public final class DocumentException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DocumentException(String message) {
    super(message);
  }
}
