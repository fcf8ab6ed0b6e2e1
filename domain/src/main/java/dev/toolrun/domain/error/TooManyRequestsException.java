package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import java.time.Duration;

/** The instance had its maximum of requests in flight for longer than a request may wait. */
public final class TooManyRequestsException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  private final transient InstanceId instanceId;
  private final Duration retryAfter;

  public TooManyRequestsException(InstanceId instanceId, int maxConcurrent, Duration retryAfter) {
    super(
        "instance %s already has its maximum of %d requests in flight; retry after %d s"
            .formatted(
                requireNonNull(instanceId, "instanceId is null"),
                maxConcurrent,
                requireNonNull(retryAfter, "retryAfter is null").toSeconds()));
    this.instanceId = instanceId;
    this.retryAfter = retryAfter;
  }

  public InstanceId instanceId() {
    return instanceId;
  }

  /** How long a client should wait before trying again. */
  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.TOO_MANY_REQUESTS;
  }
}
