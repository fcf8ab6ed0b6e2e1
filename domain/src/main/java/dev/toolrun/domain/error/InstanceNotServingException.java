package dev.toolrun.domain.error;

import static java.util.Objects.requireNonNull;

import dev.toolrun.domain.instance.InstanceId;
import dev.toolrun.domain.instance.InstanceState;

/** A request was sent to an instance that is not serving (not a service, or not in SERVING). */
public final class InstanceNotServingException extends ToolrunException {
  private static final long serialVersionUID = 1L;

  private final transient InstanceId instanceId;
  private final InstanceState state;

  public InstanceNotServingException(InstanceId instanceId, InstanceState state, String why) {
    super(
        "instance %s is not serving requests (state %s): %s"
            .formatted(
                requireNonNull(instanceId, "instanceId is null"),
                requireNonNull(state, "state is null"),
                requireNonNull(why, "why is null")));
    this.instanceId = instanceId;
    this.state = state;
  }

  public InstanceId instanceId() {
    return instanceId;
  }

  public InstanceState state() {
    return state;
  }

  @Override
  public ErrorCode code() {
    return ErrorCode.INSTANCE_NOT_SERVING;
  }
}
