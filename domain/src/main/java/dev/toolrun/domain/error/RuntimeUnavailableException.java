package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/** The workload runtime cannot be reached right now; the same request may succeed later. */
public final class RuntimeUnavailableException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  private final transient Optional<Duration> retryAfter;

  public RuntimeUnavailableException(String message, Throwable cause) {
    this(message, cause, Optional.empty());
  }

  private RuntimeUnavailableException(
      String message, Throwable cause, Optional<Duration> retryAfter) {
    super(message, cause);
    this.retryAfter = retryAfter;
  }

  /**
   * Refused without trying, because the runtime is known to be unreachable.
   *
   * @param retryAfter when trying again may be worth it
   */
  public static RuntimeUnavailableException refused(String message, Duration retryAfter) {
    return new RuntimeUnavailableException(
        message, null, Optional.of(requireNonNull(retryAfter, "retryAfter is null")));
  }

  /** When trying again may be worth it, when the refusal knows. */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.RUNTIME_UNAVAILABLE;
  }
}
