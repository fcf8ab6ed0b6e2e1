package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import java.time.Duration;

/** The service instance did not answer a request within its request timeout. */
public final class RequestTimeoutException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  private final transient InstanceId instanceId;

  public RequestTimeoutException(InstanceId instanceId, Duration timeout) {
    super(
        "instance %s did not answer within %d ms"
            .formatted(
                requireNonNull(instanceId, "instanceId is null"),
                requireNonNull(timeout, "timeout is null").toMillis()));
    this.instanceId = instanceId;
  }

  public InstanceId instanceId() {
    return instanceId;
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.REQUEST_TIMED_OUT;
  }
}
