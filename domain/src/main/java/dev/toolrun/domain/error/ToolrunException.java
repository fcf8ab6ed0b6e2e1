package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

/**
 * Root of every error the domain raises.
 *
 * <p>The hierarchy is sealed and unchecked: adapters map each kind to their own protocol through
 * {@link #code()} with an exhaustive switch, and nothing else crosses a port.
 */
public abstract sealed class ToolrunException extends RuntimeException
    permits ToolNotFoundException,
        InstanceNotFoundException,
        IllegalTransitionException,
        ValidationException,
        ConflictException,
        RuntimeUnavailableException,
        RuntimeRejectedException,
        InstanceNotServingException,
        TooManyRequestsException,
        RequestTimeoutException,
        UpstreamFailedException,
        MemoryBudgetExceededException {

  private static final long serialVersionUID = 1L;

  protected ToolrunException(String message) {
    super(requireNonNull(message, "message is null"));
  }

  protected ToolrunException(String message, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
  }

  /** The stable code that identifies this kind of error to clients. */
  public abstract ErrorCode code();
}
