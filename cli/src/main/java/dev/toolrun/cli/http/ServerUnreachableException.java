package dev.toolrun.cli.http;

import java.net.URI;

/** No answer came from the server at {@link #url()}: refused, unresolvable, timed out or cut. */
public final class ServerUnreachableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient URI url;

  public ServerUnreachableException(URI url, String reason, Throwable cause) {
    super("cannot reach toolrun at " + url + ": " + reason, cause);
    this.url = url;
  }

  public URI url() {
    return url;
  }
}
