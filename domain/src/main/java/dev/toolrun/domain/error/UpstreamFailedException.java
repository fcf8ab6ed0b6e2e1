package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;

/** A request could not be delivered to a service instance, or its answer could not be read. */
public final class UpstreamFailedException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  private final transient InstanceId instanceId;

  public UpstreamFailedException(InstanceId instanceId, String why, Throwable cause) {
    super(
        "request to instance %s failed: %s"
            .formatted(requireNonNull(instanceId, "instanceId is null"), why),
        cause);
    this.instanceId = instanceId;
  }

  public InstanceId instanceId() {
    return instanceId;
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.UPSTREAM_FAILED;
  }
}
