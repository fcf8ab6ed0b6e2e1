package dev.toolrun.domain.error;

/** The workload runtime cannot be reached right now; the same request may succeed later. */
public final class RuntimeUnavailableException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  public RuntimeUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.RUNTIME_UNAVAILABLE;
  }
}
