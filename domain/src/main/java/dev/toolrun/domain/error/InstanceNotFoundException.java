package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;

/** No instance with the requested id exists. */
public final class InstanceNotFoundException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  private final transient InstanceId instanceId;

  public InstanceNotFoundException(InstanceId instanceId) {
    super("instance %s does not exist".formatted(requireNonNull(instanceId, "instanceId is null")));
    this.instanceId = instanceId;
  }

  public InstanceId instanceId() {
    return instanceId;
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.INSTANCE_NOT_FOUND;
  }
}
