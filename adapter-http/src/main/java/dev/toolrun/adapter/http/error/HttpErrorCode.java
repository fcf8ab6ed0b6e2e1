package dev.toolrun.adapter.http.error;

/**
 * The error codes of the HTTP layer itself, next to the domain's {@link
 * dev.toolrun.domain.error.ErrorCode}s; clients branch on these names, so they never change.
 */
public enum HttpErrorCode {
  /** The bearer token is missing or wrong. */
  UNAUTHORIZED(401),
  /** No route matches the request's path. */
  NOT_FOUND(404),
  /** The path exists, but not with this method. */
  METHOD_NOT_ALLOWED(405),
  /** The request's headers or body did not arrive within the server's deadline. */
  REQUEST_TIMEOUT(408),
  /** The body is larger than the configured limit. */
  PAYLOAD_TOO_LARGE(413),
  /** The body is not {@code application/json}. */
  UNSUPPORTED_MEDIA_TYPE(415),
  /** The request cannot be read at all: the body is not JSON, or the URI cannot be decoded. */
  MALFORMED_REQUEST(400),
  /** The request can be read but breaks the contract; every violation is listed. */
  VALIDATION_FAILED(400),
  /**
   * The server holds as many connections as it may (503), or as many from this client as it may
   * (429); the connection is closed.
   */
  TOO_MANY_CONNECTIONS(503),
  /** A bug; the details are in the server's log, never in the response. */
  INTERNAL_ERROR(500);

  private final int status;

  HttpErrorCode(int status) {
    this.status = status;
  }

  int status() {
    return status;
  }
}
