package dev.toolrun.domain.error;

/** The request conflicts with the current state of a resource (e.g. a reused idempotency key). */
public final class ConflictException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.CONFLICT;
  }
}
